from ninja import Router

shifts_router = Router(tags=["shifts"])
