from enum import StrEnum


class TagType(StrEnum):
    WALLET_POOL = "WALLET_POOL"

    def __str__(self) -> str:
        return str(self.value)
