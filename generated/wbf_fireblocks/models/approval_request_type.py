from enum import StrEnum


class ApprovalRequestType(StrEnum):
    TAG_ATTACH_DETACH = "TAG_ATTACH_DETACH"
    TAG_DELETE = "TAG_DELETE"
    TAG_UPDATE = "TAG_UPDATE"

    def __str__(self) -> str:
        return str(self.value)
