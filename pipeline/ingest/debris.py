"""Page debris: what a saved or pasted page holds besides the article.

A line is debris only when its whole content is debris (a counter with its
number and label and nothing else, share-button words and nothing else).  A
legal-notice or comment section runs only while its lines look like one: the
article resumes at the first line that does not.
"""

from __future__ import annotations

import re

_SENTENCE_FINAL = re.compile(r"[。！？!?；;…]")
_SEPARATOR = re.compile(r"^[-=_*~─—•·.]{5,}$")
_UI_ONLY = re.compile(r"^(?:[︿^▲△↑]+\s*(?:top)?|top|回到頂端|回到顶端|返回頂部|返回顶部|back to top)$", re.I)
_COUNTER = re.compile(
    r"(?:瀏覽次數|浏览次数|閱讀次數|阅读次数|瀏覽數|觀看次數|點閱數|閱讀數|人氣|人气)\s*[:：]?\s*[\d,]+\s*(?:次|人)?"
)
_SHARE_WORDS = re.compile(
    r"facebook|twitter|wechat|linkedin|linked|line|plurk|weibo|email|e-mail|print|"
    r"歡迎推文|欢迎推文|推文|分享|列印|打印|複製連結|复制链接|轉寄|收藏",
    re.I,
)
_LIKE_PROMPT = re.compile(r"按讚|按赞|粉絲團|粉丝团|追蹤我們|追踪我们|訂閱|订阅")
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4}|版權所有|版权所有|著作權所有|all rights reserved)", re.I)

_LEGAL_START = re.compile(r"^\s*【?\s*(?:聲明|声明|版權聲明|版权声明|免責聲明|免责声明)\s*】?\s*[:：]?\s*$")
_LEGAL_WORDS = re.compile(
    r"著作權|著作权|版權|版权|轉載|转载|授權|授权|投資建議|投资建议|不代表|法律|責任|责任|保留|重製|複製|複制|"
    r"copyright|all rights reserved|免責|免责",
    re.I,
)
_COMMENT_START = re.compile(
    r"^(?:留言|網友留言|讀者留言|熱門留言|最新留言|發表留言|我要留言|發表評論|網友評論|讀者評論|評論|看更多留言|"
    r"\d+\s*則留言|留言\s*[（(]\d+[)）]|comments?)\s*[:：]?$",
    re.I,
)
_COMMENT_META = re.compile(r"\d+\s*(?:秒|分鐘|小時|天|週|個月|年)前|回覆|檢舉|讚\s*\d*$|^\d{4}[-/]\d{1,2}[-/]\d{1,2}\s+\d{1,2}:\d{2}")
MAX_COMMENT_CHARS = 80  # longer lines are the article again, not a reader's remark


def line_reason(line: str) -> str | None:
    """Why this one line is page debris, or None (judged on the line alone)."""
    s = line.strip()
    if _UI_ONLY.match(s):
        return "navigation button"
    if _SEPARATOR.match(s):
        return "separator line"
    if _only(s, _COUNTER) and _COUNTER.search(s):
        return "view counter"
    if _only(s, _SHARE_WORDS):
        return "share buttons"
    if len(s) <= 30 and _LIKE_PROMPT.search(s) and not _SENTENCE_FINAL.search(s.rstrip("!！")):
        return "social media prompt"
    if _COPYRIGHT.match(s) and len(s) <= 120:
        return "legal notice"
    return None


def _only(s: str, words: re.Pattern) -> bool:
    """``s`` holds ``words`` and, besides them, only other debris words, punctuation and digits."""
    residue = words.sub("", s)
    if residue == s:
        return False
    residue = _SHARE_WORDS.sub("", _COUNTER.sub("", residue))
    return not re.sub(r"[\W\d_]+", "", residue)


class Sections:
    """Legal-notice and comment sections: where they start, and where the article resumes."""

    def __init__(self, texts: list[str]):
        self.reason_at: dict[int, str] = {}
        content = [(i, t.strip()) for i, t in enumerate(texts) if t.strip()]
        k = 0
        while k < len(content):
            i, s = content[k]
            follower = content[k + 1][1] if k + 1 < len(content) else ""
            if _LEGAL_START.match(s) and _is_legal(follower):
                k = self._run(content, k, "legal notice", _is_legal)
            elif _COMMENT_START.match(s):
                k = self._run(content, k, "comment section", _is_comment)
            else:
                k += 1

    def _run(self, content, k, reason, belongs) -> int:
        self.reason_at[content[k][0]] = reason
        k += 1
        while k < len(content) and belongs(content[k][1]):
            self.reason_at[content[k][0]] = reason
            k += 1
        return k

    def reason(self, index: int) -> str | None:
        return self.reason_at.get(index)


def _is_legal(s: str) -> bool:
    return bool(s) and bool(_LEGAL_WORDS.search(s))


_COMMENTER = re.compile(r"^[^：:。，\s]{1,12}[：:]")  # "網友A：寫得好"


def _is_comment(s: str) -> bool:
    """A reader's remark: comment furniture (時間、回覆), "name: remark", or a few words without a full stop."""
    if not s or len(s) > MAX_COMMENT_CHARS:
        return False
    return bool(_COMMENT_META.search(s) or _COMMENTER.match(s)) or (len(s) <= 20 and not _SENTENCE_FINAL.search(s))
