"""The notifier adapters: recording, console, SMTP e-mail and routing by channel (SPEC 10).

Every notifier delivers a notification so that its key can be recognised where
it arrives (SPEC 9: at-least-once delivery, made effectively once by the key).
The SMTP notifier is tested against a real SMTP server on the loopback
interface, with STARTTLS and login.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import socket
import ssl
from collections.abc import Callable, Iterator

import attrs
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from portflow import (
    Channel,
    Code,
    ConsoleNotifier,
    DeliveryFailed,
    DonorContract,
    Engine,
    InvalidInput,
    ManualClock,
    MemoryNumberPool,
    MemoryOrderStore,
    Notification,
    NotificationKind,
    NotifierByChannel,
    RecordingDonorGateway,
    RecordingNotifier,
    SmtpNotifier,
    Timing,
)
from tests_support import swiss_request

DUE = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
SENDER = "porting@carrier.example"
LOGIN = ("portflow", "s3cret")


def advice(order_id: str = "PO-000001", locale: str = "de") -> Notification:
    """The reseller's e-mail after an approval (seed 002)."""
    return Notification(
        kind=NotificationKind.ADVICE_REVIEW_DONOR_SERVICES,
        channel=Channel.EMAIL,
        recipient="porting@reseller.example",
        locale=locale,
        order_id=order_id,
        due=DUE,
    )


def completion_sms() -> Notification:
    """The customer's SMS when the port is done."""
    return Notification(
        kind=NotificationKind.PORT_COMPLETED,
        channel=Channel.SMS,
        recipient="+41791234567",
        locale="de",
        order_id="PO-000001",
        due=DUE,
        params={"number": "+41441234567"},
    )


class Mailbox:
    """What an SMTP server received: each message parsed, and who logged in."""

    def __init__(self) -> None:
        """Start empty."""
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.logins: list[str] = []

    async def handle_DATA(self, _server, _session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        """Keep the message and its envelope's recipients."""
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def authenticate(self, _server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
        """Accept the one test login."""
        user, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append(user)
        return AuthResult(success=(user, password) == LOGIN)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    """A certificate authority of the tests' own, for STARTTLS."""
    return trustme.CA()


@pytest.fixture
def smtp_server(certificate_authority) -> Iterator[tuple[Mailbox, int, ssl.SSLContext]]:
    """A real SMTP server on the loopback interface that wants STARTTLS and a login.

    Yields its mailbox, its port and a client TLS context that trusts it.
    """
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    certificate_authority.configure_trust(client_tls)
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=_free_port(),
        tls_context=server_tls,
        require_starttls=True,
        authenticator=mailbox.authenticate,
        auth_required=True,
    )
    controller.start()
    try:
        yield mailbox, controller.port, client_tls
    finally:
        controller.stop()


@pytest.fixture
def plain_ascii_server() -> Iterator[tuple[Mailbox, int]]:
    """An SMTP server without TLS, login or SMTPUTF8, as many relays inside a network are."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port(), enable_SMTPUTF8=False)
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


def _smtp(server: tuple[Mailbox, int, ssl.SSLContext]) -> SmtpNotifier:
    _mailbox, port, tls = server
    return SmtpNotifier("127.0.0.1", port, sender=SENDER, tls=tls, login=LOGIN, timeout=5)


# --- one contract for every notifier ----------------------------------------------------


@pytest.fixture(params=["recording", "console", "smtp", "by-channel"])
def notifier_and_keys(request) -> tuple[object, Callable[[], list[str]]]:
    """A notifier of each kind, and how to read the keys of what it delivered."""
    if request.param == "recording":
        recording = RecordingNotifier()
        return recording, lambda: recording.keys
    if request.param == "console":
        stream = io.StringIO()
        return ConsoleNotifier(stream), lambda: [
            line.rsplit("[", 1)[1].rstrip("]")
            for line in stream.getvalue().splitlines()
            if line.endswith("]")
        ]
    if request.param == "smtp":
        server = request.getfixturevalue("smtp_server")
        return _smtp(server), lambda: [m["X-Portflow-Key"] for m in server[0].messages]
    recording = RecordingNotifier()
    routes = dict.fromkeys(Channel, RecordingNotifier())
    return NotifierByChannel(routes | {Channel.EMAIL: recording}), lambda: recording.keys


def test_every_notifier_delivers_a_notification_recognisably_by_its_key(notifier_and_keys):
    """SPEC 9 and 10: what a notifier delivers carries the key, so a repeat can be recognised."""
    notifier, delivered_keys = notifier_and_keys
    first, second = advice("PO-000001"), advice("PO-000002")
    notifier.deliver(first)
    notifier.deliver(second)
    notifier.deliver(first)
    assert delivered_keys() == [first.key, second.key, first.key]


# --- console ------------------------------------------------------------------------------


def test_the_console_notifier_writes_the_text_the_customer_reads():
    """SPEC 9 and 10: the console shows recipient, channel, due instant and rendered text."""
    stream = io.StringIO()
    notice = completion_sms()
    ConsoleNotifier(stream).deliver(notice)
    subject, body = notice.render()
    written = stream.getvalue()
    assert written.startswith("2027-03-01T08:00:00+00:00 sms to +41791234567 [port.completed:")
    assert subject in written
    assert body in written


def test_the_console_notifier_writes_to_standard_output_by_default(capsys):
    """SPEC 10: a simulation watched in a terminal sees each notification as it goes out."""
    ConsoleNotifier().deliver(advice())
    assert advice().key in capsys.readouterr().out


# --- SMTP ---------------------------------------------------------------------------------


def test_an_email_notification_arrives_as_an_email_in_its_language(smtp_server):
    """SPEC 9 and 10: subject and body in the locale, to the recipient, from the sender."""
    mailbox, _port, _tls = smtp_server
    notice = advice(locale="de")
    _smtp(smtp_server).deliver(notice)
    (message,) = mailbox.messages
    subject, body = notice.render()
    assert message["From"] == SENDER
    assert message["To"] == "porting@reseller.example"
    assert message["Subject"] == subject
    assert message["Content-Language"] == "de"
    assert message.get_content().strip() == body
    assert mailbox.logins == [LOGIN[0]]


def test_a_notification_delivered_twice_arrives_as_the_same_message(smtp_server):
    """SPEC 9: delivery is at least once; the Message-ID made from the key marks the repeat."""
    mailbox, _port, _tls = smtp_server
    notifier = _smtp(smtp_server)
    notifier.deliver(advice("PO-000001"))
    notifier.deliver(advice("PO-000001"))
    notifier.deliver(advice("PO-000002"))
    ids = [message["Message-ID"] for message in mailbox.messages]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0].endswith("@carrier.example>")


def test_an_unreachable_server_raises_and_the_engine_delivers_when_it_retries():
    """SPEC 9 and 10: a failed delivery raises; the notification stays due until it goes out."""
    notifier = SmtpNotifier("127.0.0.1", _free_port(), sender=SENDER, timeout=5)
    with pytest.raises(ConnectionRefusedError):
        notifier.deliver(advice())
    letters = RecordingNotifier()
    routes = {Channel.EMAIL: notifier, Channel.SMS: RecordingNotifier(), Channel.LETTER: letters}
    engine = _swiss_engine(NotifierByChannel(routes))
    order = engine.approve(engine.submit(_dated_request()).id)
    (advised,) = (
        n.key
        for n in engine.notifications(order.id)
        if n.kind is NotificationKind.ADVICE_REVIEW_DONOR_SERVICES
    )
    with pytest.raises(DeliveryFailed) as failed:
        engine.advance()
    assert isinstance(failed.value.__cause__, ConnectionRefusedError)
    assert advised in engine.get(order.id).pending_keys
    routes[Channel.EMAIL] = reached = RecordingNotifier()
    engine.notifier = NotifierByChannel(routes)
    engine.advance(failed.value.undelivered[0].retry_at)
    assert reached.keys == [advised]
    assert advised not in engine.get(order.id).pending_keys


def test_an_address_of_an_international_domain_reaches_a_server_without_smtputf8(
    plain_ascii_server,
):
    """SPEC 9: a reseller at händler.ch, a valid address, is mailed under its ASCII domain."""
    mailbox, port = plain_ascii_server
    notice = attrs.evolve(advice(), recipient="porting@händler.ch")
    SmtpNotifier("127.0.0.1", port, sender=SENDER, timeout=5).deliver(notice)
    assert mailbox.recipients == [["porting@xn--hndler-bua.ch"]]
    assert mailbox.messages[0]["To"] == "porting@xn--hndler-bua.ch"


def test_the_message_names_the_language_its_text_is_in(plain_ascii_server):
    """SPEC 9: a locale without templates is written in English, and the message says so."""
    mailbox, port = plain_ascii_server
    SmtpNotifier("127.0.0.1", port, sender=SENDER, timeout=5).deliver(advice(locale="fr-CH"))
    assert mailbox.messages[0]["Content-Language"] == "en"


def test_an_sms_or_letter_is_refused_by_the_smtp_notifier_with_a_code():
    """SPEC 11: the SMTP notifier sends e-mail only, and says where the rest belongs."""
    notifier = SmtpNotifier("127.0.0.1", sender=SENDER)
    with pytest.raises(InvalidInput) as refused:
        notifier.message(completion_sms())
    assert (refused.value.code, refused.value.field) == (Code.ARGUMENT_INVALID, "channel")
    assert "NotifierByChannel" in refused.value.message


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"host": "", "sender": SENDER}, "host"),
        ({"host": "127.0.0.1", "sender": "not an address"}, "sender"),
        ({"host": "127.0.0.1", "sender": SENDER, "port": "25"}, "port"),
        ({"host": "127.0.0.1", "sender": SENDER, "tls": True}, "tls"),
        ({"host": "127.0.0.1", "sender": SENDER, "port": True}, "port"),
        ({"host": "127.0.0.1", "sender": SENDER, "port": 70_000}, "port"),
        ({"host": "127.0.0.1", "sender": SENDER, "timeout": 0}, "timeout"),
        ({"host": "127.0.0.1", "sender": SENDER, "login": LOGIN}, "login"),
        (
            {
                "host": "127.0.0.1",
                "sender": SENDER,
                "login": "user",
                "tls": ssl.create_default_context(),
            },
            "login",
        ),
    ],
)
def test_bad_smtp_settings_are_refused_when_the_notifier_is_built(arguments, field):
    """SPEC 11: a bad setting fails at once, naming the field, not at the first delivery."""
    with pytest.raises(InvalidInput) as refused:
        SmtpNotifier(**arguments)
    assert (refused.value.code, refused.value.field) == (Code.ARGUMENT_INVALID, field)


# --- routing by channel -------------------------------------------------------------------


def _swiss_engine(notifier: NotifierByChannel) -> Engine:
    return Engine(
        clock=ManualClock(dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)),
        store=MemoryOrderStore(),
        inventory=MemoryNumberPool.for_country("CH"),
        donor=RecordingDonorGateway(),
        notifier=notifier,
    )


def _dated_request():
    return swiss_request(timing=Timing.on(dt.date(2027, 4, 14)), contract=DonorContract())


def test_a_channel_without_a_notifier_is_refused_when_routing_is_built():
    """SPEC 9: a customer lacking the usual address is reached by another channel; all need one."""
    with pytest.raises(InvalidInput) as refused:
        NotifierByChannel({Channel.EMAIL: RecordingNotifier()})
    assert refused.value.field == "routes"
    assert "sms, letter" in refused.value.message


def test_the_engine_sends_email_by_smtp_and_hands_the_rest_to_the_carrier(smtp_server):
    """SPEC 10: e-mail through SMTP; SMS and letters are the embedding carrier's to deliver.

    The Swiss order's confirmation goes by letter and the advice after approval
    by e-mail to the reseller.
    """
    mailbox, _port, _tls = smtp_server
    letters, texts = RecordingNotifier(), RecordingNotifier()
    routes = {Channel.EMAIL: _smtp(smtp_server), Channel.SMS: texts, Channel.LETTER: letters}
    engine = _swiss_engine(NotifierByChannel(routes))
    order = engine.approve(engine.submit(_dated_request()).id)
    engine.advance(dt.datetime(2027, 3, 10, tzinfo=dt.UTC))
    kinds = {n.kind: n for n in engine.notifications(order.id)}
    assert [m["X-Portflow-Key"] for m in mailbox.messages] == [
        kinds[NotificationKind.ADVICE_REVIEW_DONOR_SERVICES].key
    ]
    assert letters.keys == [kinds[NotificationKind.ORDER_CONFIRMATION].key]
    assert texts.keys == []
