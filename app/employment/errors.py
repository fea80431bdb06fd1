"""Employment errors: workers, employments, timesheets and payroll."""

from app.core.errors import Conflict, Forbidden, NotFound


class WorkerNotFound(NotFound):
    detail = "There is no such worker in this co-operative, or you may not see them."
    detail_cy = "Nid oes gweithiwr o'r fath yn y cwmni cydweithredol hwn, neu ni chewch eu gweld."


class EmploymentNotFound(NotFound):
    detail = "There is no such employment, or you may not see it."
    detail_cy = "Nid oes cyflogaeth o'r fath, neu ni chewch ei gweld."


class TimesheetNotFound(NotFound):
    detail = "There is no timesheet for this pay period yet."
    detail_cy = "Nid oes taflen amser ar gyfer y cyfnod tâl hwn eto."


class PayrollExportNotFound(NotFound):
    detail = "The payroll for the pay periods starting on this day has not been exported."
    detail_cy = (
        "Nid yw'r gyflogres ar gyfer y cyfnodau tâl sy'n dechrau ar y diwrnod hwn wedi'i hallforio."
    )


class PayrollResultNotFound(NotFound):
    detail = "No payroll results are posted for the pay periods starting on this day."
    detail_cy = "Nid oes canlyniadau cyflogres wedi'u cofnodi ar gyfer y cyfnodau tâl sy'n dechrau ar y diwrnod hwn."


class NotTheEmployer(Forbidden):
    detail = (
        "Only the employer may do this: the holder who employs the worker (or their "
        "representative with `view`), or a co-operative administrator for the co-op's own "
        "employees."
    )
    detail_cy = (
        "Dim ond y cyflogwr gaiff wneud hyn: y deiliad sy'n cyflogi'r gweithiwr (neu ei "
        "gynrychiolydd â `view`), neu weinyddwr y cwmni cydweithredol ar gyfer gweithwyr y "
        "cwmni ei hun."
    )


class OwnTimesheet(Forbidden):
    code = "conflict_of_interest"
    title, title_cy = "Conflict of interest", "Gwrthdaro buddiannau"
    detail = "You may not confirm a timesheet of your own work."
    detail_cy = "Ni chewch gadarnhau taflen amser o'ch gwaith eich hun."


class PeriodExported(Conflict):
    code = "period_exported"
    title, title_cy = "Period exported", "Cyfnod wedi'i allforio"
    detail = "The payroll for this pay period has been exported: its timesheets no longer change."
    detail_cy = (
        "Mae'r gyflogres ar gyfer y cyfnod tâl hwn wedi'i hallforio: nid yw ei thaflenni amser "
        "yn newid mwyach."
    )


class TimesheetsUnconfirmed(Conflict):
    code = "timesheets_unconfirmed"
    title, title_cy = "Timesheets unconfirmed", "Taflenni amser heb eu cadarnhau"
    detail = (
        "Some timesheets of this pay period are not confirmed by their employer (see "
        "employment_ids): nothing was exported."
    )
    detail_cy = (
        "Nid yw eu cyflogwr wedi cadarnhau rhai o daflenni amser y cyfnod tâl hwn (gweler "
        "employment_ids): ni allforiwyd dim."
    )


class PeriodNotExported(Conflict):
    code = "period_not_exported"
    title, title_cy = "Period not exported", "Cyfnod heb ei allforio"
    detail = "Payroll results come after the export of the period: export it first."
    detail_cy = "Daw canlyniadau'r gyflogres ar ôl allforio'r cyfnod: allforiwch ef yn gyntaf."


class PayrollPosted(Conflict):
    code = "payroll_posted"
    title, title_cy = "Payroll already posted", "Cyflogres wedi'i chofnodi eisoes"
    detail = "The results of this payroll have already been posted: nothing was posted again."
    detail_cy = "Mae canlyniadau'r gyflogres hon wedi'u cofnodi eisoes: ni chofnodwyd dim eto."
