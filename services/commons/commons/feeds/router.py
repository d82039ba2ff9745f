from fastapi import APIRouter

router = APIRouter(prefix="/calendars", tags=["calendars"])
