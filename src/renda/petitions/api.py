from ninja import Router

petitions_router = Router(tags=["petitions"])
