from ninja import Router

risks_router = Router(tags=["risks"])
