//! The one migration set runs up, down and up again on each backend.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

use crate::each_backend;

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    each_backend!(|app| {
        let db = app.state.db.writer();
        Migrator::down(db, None).await.expect("down");
        // On PostgreSQL a node never migrates on its own: `serve` refuses a database behind.
        if matches!(app.backend, tests::Backend::Postgres(_)) {
            let refused = congvu_cli::open(app.state.config.clone())
                .await
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(refused.contains("run `congvu migrate` first"), "{refused}");
        }
        let backend = db.get_database_backend();
        let sql = match backend {
            sea_orm::DatabaseBackend::Postgres => {
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'units'"
            }
            _ => "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'units'",
        };
        let count = |row: Option<sea_orm::QueryResult>| {
            row.and_then(|r| r.try_get_by_index::<i64>(0).ok())
                .unwrap_or(-1)
        };
        assert_eq!(
            count(
                db.query_one_raw(Statement::from_string(backend, sql))
                    .await
                    .unwrap()
            ),
            0
        );
        Migrator::up(db, None).await.expect("up again");
        assert_eq!(
            count(
                db.query_one_raw(Statement::from_string(backend, sql))
                    .await
                    .unwrap()
            ),
            1
        );
        // The re-created schema works: seeding and a write succeed.
        congvu_app::service::seed::national_data(&app.state)
            .await
            .expect("seed");
        let root = app.root().await;
        app.unit(&root, "X", "Tỉnh X", "province", None).await;
    });
}
