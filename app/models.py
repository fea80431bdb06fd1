"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.areas.models import Area, MonitoringProfile
from app.audit.models import AuditChainHead, AuditEntry
from app.auth.models import (
    AuthSession,
    EmailChange,
    LoginFailure,
    PasswordReset,
    RefreshToken,
    User,
)
from app.bank.models import BankLine, BankLineDecision, BankStatement
from app.compliance.models import ComplianceRecord
from app.coops.models import Coop, CoopArea, Member
from app.core.db import Base
from app.councils.models import ApiClient, LaOfficer
from app.direct_payments.models import DirectPaymentAward
from app.employment.models import (
    Employment,
    PayrollExport,
    PayrollExportLine,
    PayrollResult,
    PayrollResultLine,
    PayrollShare,
    Timesheet,
    TimesheetEntry,
    Worker,
)
from app.evidence.models import CouncilAccessGrant
from app.governance.models import Proposal, ProposalElector, Vote
from app.idempotency.models import IdempotencyRecord
from app.ledger.models import LedgerAccount, LedgerPosting, LedgerTransaction, Refund
from app.notifications.models import (
    Notification,
    NotificationEvent,
    NotificationFlag,
    NotificationPreference,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from app.providers.models import (
    Provider,
    ProviderArea,
    ProviderDirectoryStamp,
    ProviderServiceType,
    ProviderStaff,
)
from app.representatives.models import Approval, ApprovalAdminApproval, CapacityChange, Mandate
from app.representatives.safeguarding.models import SafeguardingConcern
from app.stats.models import WalesEdition, WalesEditionRow
from app.support.models import SubscriptionPeriod, SupportComment, SupportRequest, SupportService
from app.tenders.models import (
    CallOff,
    Contract,
    DemandLine,
    Invoice,
    InvoiceLine,
    Tender,
    TenderArea,
    TenderAward,
    TenderBid,
    TenderQuestion,
)
from app.tenders.ocds.models import OcdsFeedHead, OcdsRelease
from app.tenders.visits.models import Visit

__all__ = [
    "ApiClient",
    "Approval",
    "ApprovalAdminApproval",
    "Area",
    "AuditChainHead",
    "AuditEntry",
    "AuthSession",
    "BankLine",
    "BankLineDecision",
    "BankStatement",
    "Base",
    "CallOff",
    "CapacityChange",
    "ComplianceRecord",
    "Contract",
    "Coop",
    "CoopArea",
    "CouncilAccessGrant",
    "DemandLine",
    "DirectPaymentAward",
    "EmailChange",
    "Employment",
    "IdempotencyRecord",
    "Invoice",
    "InvoiceLine",
    "LaOfficer",
    "LedgerAccount",
    "LedgerPosting",
    "LedgerTransaction",
    "LoginFailure",
    "Mandate",
    "Member",
    "MonitoringProfile",
    "Notification",
    "NotificationEvent",
    "NotificationFlag",
    "NotificationPreference",
    "OcdsFeedHead",
    "OcdsRelease",
    "PasswordReset",
    "PayrollExport",
    "PayrollExportLine",
    "PayrollResult",
    "PayrollResultLine",
    "PayrollShare",
    "Proposal",
    "ProposalElector",
    "Provider",
    "ProviderArea",
    "ProviderDirectoryStamp",
    "ProviderServiceType",
    "ProviderStaff",
    "RefreshToken",
    "Refund",
    "SafeguardingConcern",
    "SubscriptionPeriod",
    "SupportComment",
    "SupportRequest",
    "SupportService",
    "Tender",
    "TenderArea",
    "TenderAward",
    "TenderBid",
    "TenderQuestion",
    "Timesheet",
    "TimesheetEntry",
    "User",
    "Visit",
    "Vote",
    "WalesEdition",
    "WalesEditionRow",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "Worker",
]
