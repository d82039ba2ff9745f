from pydantic_settings import BaseSettings, SettingsConfigDict

from meent_shared.settings import SERVICE_PORTS


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEENT_", extra="ignore")

    commons_url: str = f"http://127.0.0.1:{SERVICE_PORTS['commons']}"
    volunteers_url: str = f"http://127.0.0.1:{SERVICE_PORTS['volunteers']}"
    spaces_url: str = f"http://127.0.0.1:{SERVICE_PORTS['spaces']}"
    grants_url: str = f"http://127.0.0.1:{SERVICE_PORTS['grants']}"

    def service_urls(self) -> dict[str, str]:
        return {
            "commons": self.commons_url,
            "volunteers": self.volunteers_url,
            "spaces": self.spaces_url,
            "grants": self.grants_url,
        }
