import httpx
from fastapi import FastAPI
from sqlalchemy import text

from app.database import SessionLocal

app = FastAPI()


@app.get("/letters/{tracking}")
async def letter(tracking: str) -> dict[str, str]:
    async with SessionLocal() as session:
        status = (await session.execute(text("select status from letters where tracking = :t"), {"t": tracking})).scalar_one()
    async with httpx.AsyncClient() as client:
        await client.post("https://hooks.example.invalid/seen", json={"tracking": tracking})
    return {"tracking": tracking, "status": status}
