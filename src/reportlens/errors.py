"""The one error type a user may see: its message is Chinese and says what to do."""


class ReportError(Exception):
    """A file or text that cannot be turned into a report.

    ``str(err)`` is a complete Chinese sentence fit to show a user (what is wrong, what to do).
    """

    def __init__(self, message: str, *, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file

    def __str__(self) -> str:
        return self.message


class LibraryDamaged(ReportError):
    """A library file that failed its integrity check (``integrity``): reportlens reads nothing more from it and
    writes nothing into it. ``problems`` are what the check found (Chinese); ``repair`` offers the ways out."""

    def __init__(self, path: str, problems: list[str]) -> None:
        found = problems[0] + (f"等 {len(problems)} 处问题" if len(problems) > 1 else "")
        super().__init__(
            f"资料库文件「{path}」已损坏（{found}）。为免损失扩大，报告透视不再向它写入任何内容。"
            "可以用备份替换它、用库中保存的报告原文重建，或新建一个资料库。",
            file=path,
        )
        self.path = path
        self.problems = problems
