import io
import zipfile
from pathlib import Path

import pytest

from digest.ingest.sources import InputFile, inputs_from_bytes, iter_inputs

LIMITS = {"max_file_bytes": 200_000, "max_archive_bytes": 1_000_000, "max_members": 50}


@pytest.fixture
def digests(fixtures_dir):
    return fixtures_dir / "digests"


def outcomes(inputs):
    """(name, error) per input, checking that each carries exactly one of data and error."""
    found = []
    for item in inputs:
        assert (item.data is None) != (item.error is None), item
        found.append((item.name, item.error))
    return found


def zipped(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_directory_is_walked_in_name_order_skipping_hidden_files(digests):
    names = [name for name, _ in outcomes(iter_inputs([digests], **LIMITS))]

    assert names[:14] == [str(digests / name) for name in [
        "2013-08-22-ghouta.eml", "2013-09-10-chemical.txt", "2013-12-18-barrel-bombs.txt", "2014-01-22-geneva.txt",
        "2014-06-04-election.txt", "2014-08-20-foley.eml", "2014-12-03-brussels.txt", "2015-03-15-four-years.md",
        "2015-05-21-palmyra.txt", "2015-10-01-russia.txt", "2015-11-18-paris-aftermath.html",
        "2016-02-12-munich.txt", "2016-07-20-castello-road.md", "2016-12-14-aleppo.html",
    ]]
    assert names[14:] == [
        f"{digests}/archives/inbox-2015-06.mbox:1 Syria Daily Digest: Kurds Take Tal Abyad From ISIS",
        f"{digests}/archives/inbox-2015-06.mbox:2 Fwd: Syria Digest, June 17, 2015",
        f"{digests}/archives/inbox-2015-06.mbox:3",
        f"{digests}/archives/nested.zip:disguised.txt",
        f"{digests}/archives/nested.zip:inner.zip",
        f"{digests}/archives/week-2014-11.zip:2014-11-03-idlib.txt",
        f"{digests}/archives/week-2014-11.zip:html/2014-11-04-rebels.html",
        f"{digests}/archives/week-2014-11.zip:notes/empty.txt",
        f"{digests}/archives/week-2014-11.zip:older/2014-10.zip",
        f"{digests}/archives/week-2014-11.zip:photo.png",
        f"{digests}/archives/zip-slip.zip:../../etc/cron.d/evil.txt",
        f"{digests}/archives/zip-slip.zip:/tmp/absolute.txt",
        f"{digests}/archives/zip-slip.zip:2014-11-03-idlib.txt",
        *(str(digests / "bad" / name) for name in [
            "blank.txt", "digest.pdf", "empty.txt", "no-stories.txt", "screenshot.txt", "undecodable.txt",
            "utf16-no-bom.txt",
        ]),
        *(str(digests / "heldout" / name) for name in [
            "2012-07-19-damascus-bombing.json", "2012-07-19-damascus-bombing.txt",
            "2013-03-19-khan-al-assal.eml", "2013-03-19-khan-al-assal.json",
            "2013-05-08-kerry-lavrov.json", "2013-05-08-kerry-lavrov.txt",
            "2014-02-10-homs-evacuation.json", "2014-02-10-homs-evacuation.txt",
            "2015-09-30-russian-strikes.json", "2015-09-30-russian-strikes.txt",
            "2016-02-20-azaz.json", "2016-02-20-azaz.txt",
            "2016-03-15-withdrawal.json", "2016-03-15-withdrawal.md",
            "2016-09-12-ceasefire.json", "2016-09-12-ceasefire.txt",
            "2017-01-05-astana.html", "2017-01-05-astana.json",
            "2017-02-23-geneva-four.eml", "2017-02-23-geneva-four.json",
        ]),
    ]
    assert not any(".editor-notes" in name or "__MACOSX" in name or ".DS_Store" in name for name in names)


def test_files_are_read_as_they_are(digests, seed_path):
    inputs = list(iter_inputs([seed_path, digests / "2015-10-01-russia.txt"], **LIMITS))

    assert [(item.name, item.data) for item in inputs] == [
        (str(seed_path), seed_path.read_bytes()),
        (str(digests / "2015-10-01-russia.txt"), (digests / "2015-10-01-russia.txt").read_bytes()),
    ]


def test_an_archive_expands_and_refuses_only_its_nested_archive(digests):
    archive = digests / "archives" / "week-2014-11.zip"

    inputs = list(iter_inputs([archive], **LIMITS))

    assert outcomes(inputs) == [
        (f"{archive}:2014-11-03-idlib.txt", None),
        (f"{archive}:html/2014-11-04-rebels.html", None),
        (f"{archive}:notes/empty.txt", None),  # empty, but that is for the reader to say
        (f"{archive}:older/2014-10.zip", "an archive inside an archive is not opened; unpack it first"),
        (f"{archive}:photo.png", None),
    ]
    assert inputs[0].data.startswith(b"Monday, November 3, 2014\nNusra Front Routs Western-Backed Rebels in Idlib\n")


def test_members_escaping_the_archive_are_refused(digests):
    archive = digests / "archives" / "zip-slip.zip"

    assert outcomes(iter_inputs([archive], **LIMITS)) == [
        (f"{archive}:../../etc/cron.d/evil.txt", "refused: the archive member's path climbs out of the archive ('..')"),
        (f"{archive}:/tmp/absolute.txt", "refused: the archive member has an absolute path"),
        (f"{archive}:2014-11-03-idlib.txt", None),
    ]


def test_a_member_without_a_name_is_refused_and_the_rest_goes_on():
    """Found by the fuzzer: zipfile's own is_dir() failed on a member whose name is empty."""
    archive = (Path(__file__).parent / "fuzz" / "zip" / "crash-member-without-a-name.zip").read_bytes()
    assert outcomes(inputs_from_bytes("upload.zip", archive, **LIMITS)) == [
        ("upload.zip:", "refused: the archive member has no name"),
        ("upload.zip:issues/page.html", "could not be unpacked (Bad CRC-32 for file 'issues/page.html')"),
    ]


def test_a_zip_of_a_version_zipfile_cannot_read_is_refused():
    """Found by the fuzzer: zipfile raised NotImplementedError for a directory entry's version field."""
    archive = (Path(__file__).parent / "fuzz" / "zip" / "crash-unsupported-zip-version.zip").read_bytes()
    assert outcomes(inputs_from_bytes("upload.zip", archive, **LIMITS)) == [
        ("upload.zip", "not a readable zip archive (zip file version 25.5)"),
    ]


def test_nested_archives_are_refused_by_name_and_by_content(digests):
    archive = digests / "archives" / "nested.zip"

    assert outcomes(iter_inputs([archive], **LIMITS)) == [
        (f"{archive}:disguised.txt", "an archive inside an archive is not opened; unpack it first"),
        (f"{archive}:inner.zip", "an archive inside an archive is not opened; unpack it first"),
    ]


def test_a_zip_bomb_stops_at_the_archive_limit():
    bomb = zipped({f"digest-{n}.txt": b" " * 400_000 for n in range(5)})
    assert len(bomb) < 10_000

    found = outcomes(inputs_from_bytes("bomb.zip", bomb, max_file_bytes=500_000, max_archive_bytes=1_000_000, max_members=50))

    assert found == [
        ("bomb.zip:digest-0.txt", None),
        ("bomb.zip:digest-1.txt", None),
        ("bomb.zip:digest-2.txt", "the archive unpacks to more than 1,000,000 bytes; unpacking stopped here"),
    ]


def test_a_member_whose_header_understates_its_size_is_not_unpacked():
    honest = zipped({"digest.txt": b"Syria " * 100_000})
    forged = _forge_sizes(honest, 600_000, 100)

    [item] = inputs_from_bytes("forged.zip", forged, **LIMITS)

    assert item.data is None
    assert item.error.startswith("could not be unpacked (Bad CRC-32")


def _forge_sizes(data, real, claimed):
    """The archive with its one member's uncompressed size rewritten in both headers."""
    return data.replace(real.to_bytes(4, "little"), claimed.to_bytes(4, "little"))


def test_a_member_over_the_file_limit_is_refused_and_the_rest_goes_on():
    archive = zipped({"a-big.txt": b"x" * 300_000, "b-small.txt": b"Syria"})

    assert outcomes(inputs_from_bytes("upload.zip", archive, **LIMITS)) == [
        ("upload.zip:a-big.txt", "the file is too large: the limit is 200,000 bytes"),
        ("upload.zip:b-small.txt", None),
    ]


def test_an_archive_with_too_many_members_is_refused_whole():
    archive = zipped({f"{n:03}.txt": b"Syria" for n in range(51)})

    assert outcomes(inputs_from_bytes("upload.zip", archive, **LIMITS)) == [
        ("upload.zip", "the archive holds 51 files, more than the limit of 50"),
    ]


def test_a_broken_zip_is_refused():
    assert outcomes(inputs_from_bytes("upload.zip", b"PK\x03\x04 not really a zip", **LIMITS)) == [
        ("upload.zip", "not a readable zip archive (File is not a zip file)"),
    ]


def test_an_uploaded_file_is_one_input_and_a_large_one_is_refused(seed_path):
    data = seed_path.read_bytes()

    assert list(inputs_from_bytes("seed.txt", data, **LIMITS)) == [InputFile("seed.txt", data=data)]
    assert outcomes(inputs_from_bytes("seed.txt", data, max_file_bytes=4000, max_archive_bytes=10**6, max_members=5)) == [
        ("seed.txt", "the file is too large (4,515 bytes): the limit is 4,000 bytes"),
    ]


def test_a_file_on_disk_over_the_limit_is_refused_before_reading(seed_path):
    assert outcomes(iter_inputs([seed_path], max_file_bytes=100, max_archive_bytes=1000, max_members=5)) == [
        (str(seed_path), "the file is too large (4,515 bytes): the limit is 100 bytes"),
    ]


def test_a_missing_path_is_an_error_not_an_exception(tmp_path):
    missing = tmp_path / "nowhere.txt"

    assert outcomes(iter_inputs([missing], **LIMITS)) == [(str(missing), "no such file or directory")]


# Mailboxes

MAILBOX_OUTCOMES = [
    (":1 Syria Daily Digest: Kurds Take Tal Abyad From ISIS", None),
    (":2 Fwd: Syria Digest, June 17, 2015", None),
    (":3", "message 3 of the mailbox has no e-mail headers (From, Subject, Date); the mailbox is damaged here"),
]


def mailbox_of(*messages):
    return b"".join(b"From editors@example.org Tue Jun 16 07:05:12 2015\n" + message + b"\n" for message in messages)


def test_a_mailbox_expands_into_one_input_per_message_and_a_headerless_one_is_an_error(digests):
    mailbox = digests / "archives" / "inbox-2015-06.mbox"

    inputs = list(iter_inputs([mailbox], **LIMITS))

    assert outcomes(inputs) == [(f"{mailbox}{suffix}", error) for suffix, error in MAILBOX_OUTCOMES]
    assert inputs[0].data.startswith(b"From: Syria Deeply <digest@syriadeeply.example.org>\nTo: analysts@example.org\n")
    assert inputs[0].data.endswith(b"</ul>\n</body></html>\n")
    assert inputs[1].data.startswith(b'From: "Syria Digest Editors" <editors@syriadigest.example.org>\n')
    assert b"From editors@" not in inputs[1].data  # the mbox separator line is not part of the message


def test_an_uploaded_mailbox_expands_the_same_way(digests):
    data = (digests / "archives" / "inbox-2015-06.mbox").read_bytes()

    assert outcomes(inputs_from_bytes("Inbox.MBOX", data, **LIMITS)) == [
        (f"Inbox.MBOX{suffix}", error) for suffix, error in MAILBOX_OUTCOMES
    ]


def test_a_message_name_carries_its_decoded_subject_shortened_and_without_slashes():
    data = mailbox_of(
        b"Subject: =?utf-8?q?Syria_Digest_=E2=80=93_22/08/2013?=\n\nbody\n",
        b"Subject: " + b"Aleppo " * 20 + b"\n\nbody\n",
        b"From: editors@example.org\n\nno subject\n",
        b"Subject: Caf\xc3\xa9 talk\n\nbody\n",
    )

    assert [name for name, _ in outcomes(inputs_from_bytes("inbox.mbox", data, **LIMITS))] == [
        "inbox.mbox:1 Syria Digest \u2013 22-08-2013",
        "inbox.mbox:2 " + "Aleppo " * 8 + "Ale\u2026",
        "inbox.mbox:3",
        "inbox.mbox:4 Caf\u00e9 talk",
    ]


def test_a_message_over_the_file_limit_is_refused_and_the_rest_goes_on():
    data = mailbox_of(b"Subject: big\n\n" + b"x" * 300_000, b"Subject: small\n\nSyria")

    assert outcomes(inputs_from_bytes("inbox.mbox", data, **LIMITS)) == [
        ("inbox.mbox:1", "the message is too large (300,015 bytes): the limit is 200,000 bytes"),
        ("inbox.mbox:2 small", None),
    ]


def test_a_mailbox_with_too_many_messages_or_bytes_is_refused_whole():
    many = mailbox_of(*[b"Subject: s\n\nSyria"] * 51)

    assert outcomes(inputs_from_bytes("inbox.mbox", many, **LIMITS)) == [
        ("inbox.mbox", "the mailbox holds 51 messages, more than the limit of 50"),
    ]
    assert outcomes(inputs_from_bytes("inbox.mbox", many, max_file_bytes=100, max_archive_bytes=1000, max_members=60)) == [
        ("inbox.mbox", f"the mailbox is too large ({len(many):,} bytes): the limit is 1,000 bytes"),
    ]


def test_a_file_named_mbox_that_is_no_mailbox_is_refused(seed_path):
    assert outcomes(inputs_from_bytes("inbox.mbox", seed_path.read_bytes(), **LIMITS)) == [
        ("inbox.mbox", 'not an mbox mailbox: it does not begin with a "From " line'),
    ]


def test_a_mailbox_inside_a_zip_is_not_opened():
    archive = zipped({"inbox.mbox": mailbox_of(b"Subject: s\n\nSyria")})

    assert outcomes(inputs_from_bytes("upload.zip", archive, **LIMITS)) == [
        ("upload.zip:inbox.mbox", "an archive inside an archive is not opened; unpack it first"),
    ]


def test_an_archive_that_holds_nothing_to_ingest_is_one_error_with_the_reason():
    empty = zipped({})
    forks = zipped({"__MACOSX/._seed.txt": b"\x00\x05", ".DS_Store": b"\x00", "week/.hidden.txt": b"text"})
    folders_only = io.BytesIO()
    with zipfile.ZipFile(folders_only, "w") as archive:
        archive.writestr(zipfile.ZipInfo("week/"), b"")

    assert outcomes(inputs_from_bytes("empty.zip", empty, **LIMITS)) == [
        ("empty.zip", "the archive holds nothing to ingest: no files"),
    ]
    assert outcomes(inputs_from_bytes("folders.zip", folders_only.getvalue(), **LIMITS)) == [
        ("folders.zip", "the archive holds nothing to ingest: no files"),
    ]
    assert outcomes(inputs_from_bytes("mac.zip", forks, **LIMITS)) == [
        ("mac.zip", "the archive holds nothing to ingest: only hidden files and __MACOSX resource forks (3 skipped)"),
    ]
