use figment::Jail;

use super::*;

#[test]
#[expect(
    clippy::result_large_err,
    reason = "figment's Jail API returns figment's own large error type"
)]
fn file_then_database_url_then_congvu_env_then_flags() {
    Jail::expect_with(|jail| {
        jail.create_dir("data")?;
        jail.create_file(
            "data/congvu.toml",
            "port = 9001\ntoken_ttl_hours = 8\ndatabase_url = \"sqlite://from-file.db\"\n",
        )?;
        let dir = Some(PathBuf::from("data"));
        let load = |port: Option<u16>| {
            AppConfig::load(&Overrides {
                data_dir: dir.clone(),
                port,
                database_url: None,
            })
            .map_err(|e| e.to_string())
        };

        let from_file = load(None)?;
        assert_eq!((from_file.port, from_file.token_ttl_hours), (9001, 8));
        assert_eq!(from_file.database_url(), "sqlite://from-file.db");

        jail.set_env("DATABASE_URL", "postgres://plain/db");
        assert_eq!(load(None)?.database_url(), "postgres://plain/db");
        jail.set_env("CONGVU_DATABASE_URL", "postgres://prefixed/db");
        jail.set_env("CONGVU_PORT", "9002");
        let from_env = load(None)?;
        assert_eq!(from_env.database_url(), "postgres://prefixed/db");
        assert_eq!(from_env.port, 9002);
        assert_eq!(load(Some(9003))?.port, 9003);
        Ok(())
    });
}

#[test]
#[expect(
    clippy::result_large_err,
    reason = "figment's Jail API returns figment's own large error type"
)]
fn default_database_is_sqlite_in_the_data_dir_and_bad_values_are_refused() {
    Jail::expect_with(|jail| {
        let config = AppConfig::load(&Overrides {
            data_dir: Some(PathBuf::from("d")),
            ..Overrides::default()
        })
        .map_err(|e| e.to_string())?;
        assert_eq!(config.database_url(), "sqlite://d/congvu.db?mode=rwc");
        jail.set_env("CONGVU_TOKEN_TTL_HOURS", "0");
        assert!(AppConfig::load(&Overrides::default()).is_err());
        Ok(())
    });
}

/// Trusted proxies come as a list from the file or the environment; a wrong entry stops the start.
#[test]
#[expect(
    clippy::result_large_err,
    reason = "figment's Jail API returns figment's own large error type"
)]
fn trusted_proxies_from_the_environment_and_refused_when_wrong() {
    Jail::expect_with(|jail| {
        jail.set_env("CONGVU_TRUSTED_PROXIES", "[10.0.0.0/8, \"::1\", 192.0.2.7]");
        let config = AppConfig::load(&Overrides::default()).map_err(|e| e.to_string())?;
        let nets = config.trusted_proxies().map_err(|e| e.to_string())?;
        let shown: Vec<String> = nets.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "::1/128", "192.0.2.7/32"]);
        jail.set_env("CONGVU_TRUSTED_PROXIES", "[10.0.0.0/33]");
        let err = AppConfig::load(&Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("trusted_proxies"), "{err}");
        Ok(())
    });
}
