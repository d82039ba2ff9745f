from shapely.geometry import MultiPolygon

from commons.sites.models import Site
from meent_shared.events.contracts.commons import SiteCreated


def site_created(site: Site, shape: MultiPolygon) -> SiteCreated:
    point = shape.representative_point()
    return SiteCreated(
        site_id=site.id,
        version=site.version,
        name=site.name,
        kind=site.kind,
        timezone=site.timezone,
        area_m2=site.area_m2,
        bbox=shape.bounds,
        centroid=(point.x, point.y),
        external_id=site.external_id,
    )
