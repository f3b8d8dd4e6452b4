"""E-mail digests (.eml): the newsletter as it arrived in an inbox.

The headers say what the body does not: Subject is the title, Date the day it
went out, the From display name the newsletter. The body is read by the HTML
reader when there is an HTML part (it carries the structure), otherwise by the
plain text reader. The stored source text is the whole message, verbatim.
"""
import email
import re
from email import policy
from email.errors import MessageError

from digest.ingest.dates import parse_any_date
from digest.ingest.errors import IngestError
from digest.ingest.readers.base import Reader
from digest.ingest.readers.decoding import decode_text
from digest.ingest.readers.html import HtmlReader
from digest.ingest.readers.plaintext import PlainTextReader

# The headers every message has; two of them at the top make a file an e-mail.
HEADER_LINE = re.compile(rb"^(?:from|to|subject|date|message-id|mime-version|received|return-path|delivered-to):[ \t]", re.I | re.M)
# A newsletter's headers (Received chains, DKIM signatures) fill a few kilobytes, and a part's
# Content-Type or Content-Disposition a line. The standard library's header parser slows
# quadratically on a header of thousands of encoded words or parameters.
MAX_HEADER_BYTES = 64 * 1024
MAX_PART_HEADER_BYTES = 8 * 1024
# A part's Content-* header with its folded continuation lines, wherever the part is.
PART_HEADER = re.compile(rb"^content-[\w-]+:[^\n]*(?:\n[ \t][^\n]*)*", re.IGNORECASE | re.MULTILINE)
FORWARD_PREFIX = re.compile(r"^(?:(?:fwd?|fw|re|tr|aw)\s*:\s*)+", re.IGNORECASE)


class EmailReader(Reader):
    format = "email"
    extensions = (".eml",)

    def sniff(self, head):
        header_block = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
        return len(HEADER_LINE.findall(header_block)) >= 2

    def read(self, data):
        source_text = decode_text(data)
        headers = re.split(rb"\r?\n\r?\n", data, maxsplit=1)[0]
        if len(headers) > MAX_HEADER_BYTES:
            raise IngestError(
                f"the e-mail's headers are {len(headers):,} bytes long, more than the {MAX_HEADER_BYTES:,} "
                "a newsletter's need; it is not read"
            )
        if any(len(header.group()) > MAX_PART_HEADER_BYTES for header in PART_HEADER.finditer(data)):
            raise IngestError(
                f"a part of the e-mail has a Content header longer than {MAX_PART_HEADER_BYTES:,} bytes, "
                "which no newsletter has; it is not read"
            )
        try:
            message = email.message_from_bytes(data, policy=policy.default)
            if not message.keys():
                raise IngestError("this is not an e-mail message: it has no headers (From, Subject, Date)")
            document = self._body(message)
        except (MessageError, ValueError) as error:
            raise IngestError(f"this is not a readable e-mail message ({error})")
        except RecursionError:
            # The standard library parses nested parts by recursion.
            raise IngestError("the e-mail nests its parts inside each other too deeply to be read")
        document.source_text = source_text
        document.source_format = self.format
        document.title = FORWARD_PREFIX.sub("", _header_text(message, "subject")) or document.title
        document.date = parse_any_date(_header_text(message, "date")) or document.date
        document.newsletter = _sender_name(message) or document.newsletter
        return document

    def _body(self, message):
        """The HTML part through the HTML reader, else the text part through the plain text reader."""
        read_failures = []
        for subtype, reader in (("html", HtmlReader()), ("plain", PlainTextReader())):
            part = message.get_body(preferencelist=(subtype,))
            if part is None:
                continue
            payload = part.get_payload(decode=True) or b""
            try:
                document = reader.read_text(decode_text(payload, declared=part.get_content_charset()))
            except IngestError as error:
                read_failures.append(f"{subtype} part: {error}")
                continue
            if any(block.text for block in document.blocks):
                return document
        if read_failures:
            raise IngestError("the e-mail's text could not be read: " + "; ".join(read_failures))
        raise IngestError("the e-mail has no text or HTML part to read a digest from")


def _header_text(message, name):
    try:
        value = message.get(name)
    except (MessageError, ValueError, IndexError, OverflowError):
        # The standard library parses a Date header into a datetime as it is read: a field past
        # every limit ("08:0999999999990:00") overflows there. Such a header tells nothing.
        return ""
    return " ".join(str(value or "").split())


def _sender_name(message):
    try:
        sender = message.get("from")
        addresses = sender.addresses if sender is not None else ()
    except (MessageError, ValueError, IndexError, OverflowError, AttributeError):
        return None
    for address in addresses:
        if address.display_name:
            return address.display_name.strip()
    return None
