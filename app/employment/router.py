"""The employment domain's routes: workers and employments, timesheets, payroll."""

from app.core.routing import Router
from app.employment.payroll_router import router as payroll_router
from app.employment.timesheets_router import router as timesheets_router
from app.employment.workers_router import router as workers_router

router = Router()
router.include_router(workers_router)
router.include_router(timesheets_router)
router.include_router(payroll_router)
