from fastapi import APIRouter

router = APIRouter(prefix="/tiles", tags=["tiles"])
