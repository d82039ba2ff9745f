from shapely.geometry import MultiPolygon

from commons.sites.models import Site
from meent_shared.events.contracts.commons import SiteCreated, SiteUpdated


def _fields(site: Site, shape: MultiPolygon) -> dict:
    point = shape.representative_point()
    return {
        "site_id": site.id,
        "version": site.version,
        "name": site.name,
        "kind": site.kind,
        "timezone": site.timezone,
        "area_m2": site.area_m2,
        "bbox": shape.bounds,
        "centroid": (point.x, point.y),
        "external_id": site.external_id,
    }


def site_created(site: Site, shape: MultiPolygon) -> SiteCreated:
    return SiteCreated(**_fields(site, shape))


def site_updated(site: Site, shape: MultiPolygon) -> SiteUpdated:
    return SiteUpdated(**_fields(site, shape))


def current_state(site: Site, shape: MultiPolygon) -> SiteCreated | SiteUpdated:
    """The event a republish sends: what the site's last change announced."""
    return site_created(site, shape) if site.version == 1 else site_updated(site, shape)
