from fastapi import APIRouter

router = APIRouter(prefix="/ogc", tags=["OGC API - Features"])
