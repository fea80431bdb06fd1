"""Personal assistants employed by a holder or by the co-op: workers, employments, timesheets
and payroll as a shared service."""
