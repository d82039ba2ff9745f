from meent_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "commons"
