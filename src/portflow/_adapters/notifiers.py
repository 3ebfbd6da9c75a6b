"""Notifiers that deliver: to a console, by SMTP e-mail, and by channel (SPEC 10).

SMS and letters are the embedding carrier's to deliver; `NotifierByChannel`
hands each notification to the notifier of its channel, so that e-mail can go
out through `SmtpNotifier` and the rest through the carrier's own notifiers.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Mapping
from email.message import EmailMessage
from typing import TextIO

from email_validator import EmailNotValidError, validate_email

from portflow._core.errors import Code, InvalidInput, checked_instance, checked_text
from portflow._core.notifications import Channel, Notification, resolve_locale
from portflow._core.parties import email_violations
from portflow._ports import Notifier


class ConsoleNotifier:
    """Writes each notification, rendered in its locale, to a text stream.

    For demonstrations and simulations that a person watches: nothing is sent.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        """Write to ``stream``, or to standard output as it is at each delivery."""
        self._stream = stream

    def deliver(self, notification: Notification) -> None:
        """Write the notification's due instant, channel, recipient, key, subject and body."""
        subject, body = notification.render()
        print(
            f"{notification.due.isoformat()} {notification.channel} to {notification.recipient} "
            f"[{notification.key}]\n  {subject}\n  {body}",
            file=self._stream or sys.stdout,
        )


class SmtpNotifier:
    """Sends e-mail notifications through an SMTP server, one connection per message.

    The message's ``Message-ID`` is made from the notification's key, and the
    key is in its ``X-Portflow-Key`` header: a notification delivered twice
    (delivery is at least once) arrives as the same message, which mail
    systems recognise. A server that refuses raises `smtplib.SMTPException`
    or `OSError`; the engine then keeps the notification pending and tries it
    again later (the profile's ``delivery_wait``).
    """

    def __init__(  # noqa: PLR0913 - the usual settings of an SMTP client
        self,
        host: str,
        port: int = 25,
        *,
        sender: str,
        tls: ssl.SSLContext | None = None,
        login: tuple[str, str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        """Send from ``sender`` through ``host:port``.

        Args:
            host: The SMTP server.
            port: Its port.
            sender: The ``From`` address; its domain names the message ids.
            tls: Upgrade each connection with STARTTLS in this context (for example
                `ssl.create_default_context()`); none, plain SMTP.
            login: User name and password to log in with, after STARTTLS.
            timeout: Seconds to wait for the server.

        Raises:
            InvalidInput: ``argument.invalid`` for a setting of the wrong kind, a
                sender that is not an e-mail address, or a login without ``tls``
                (the password would cross the network in plain text).
        """
        checked_text(host, "host")
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise InvalidInput(
                Code.ARGUMENT_INVALID, f"port must be a TCP port number, got {port!r}.", "port"
            )
        checked_text(sender, "sender")
        problems = list(email_violations(sender, "sender"))
        if problems:
            raise InvalidInput(Code.ARGUMENT_INVALID, problems[0].message, "sender")
        checked_instance(tls, (ssl.SSLContext, type(None)), "tls")
        if login is not None:
            _check_login(login, tls)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"timeout must be a positive number of seconds, got {timeout!r}.",
                "timeout",
            )
        self.host = host
        self.port = port
        self.sender = sender
        self._tls = tls
        self._login = login
        self._timeout = timeout

    def message(self, notification: Notification) -> EmailMessage:
        """Return the e-mail that delivers the notification.

        Raises:
            InvalidInput: ``argument.invalid`` for a notification that does not go
                by e-mail.
        """
        if notification.channel is not Channel.EMAIL:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"SmtpNotifier sends e-mail; notification {notification.key} goes by "
                f"{notification.channel}. Hand SMS and letters to other notifiers with "
                "NotifierByChannel.",
                "channel",
            )
        subject, body = notification.render()
        domain = self.sender.rpartition("@")[2]
        message = EmailMessage()
        # Before the headers: setting the content drops any Content-* header.
        message.set_content(body)
        message["From"] = self.sender
        message["To"] = _ascii_domain(notification.recipient)
        message["Subject"] = subject
        message["Message-ID"] = f"<{notification.key.replace(':', '.')}@{domain}>"
        message["X-Portflow-Key"] = notification.key
        message["Content-Language"] = resolve_locale(notification.locale)
        return message

    def deliver(self, notification: Notification) -> None:
        """Send the notification's e-mail.

        Raises:
            InvalidInput: ``argument.invalid`` for a notification that does not go
                by e-mail.
            smtplib.SMTPNotSupportedError: for an address whose local part is not
                ASCII, when the server does not offer SMTPUTF8.
            smtplib.SMTPException: when the server refuses.
            OSError: when the server cannot be reached.
        """
        message = self.message(notification)
        with smtplib.SMTP(self.host, self.port, timeout=self._timeout) as smtp:
            if self._tls is not None:
                smtp.starttls(context=self._tls)
            if self._login is not None:
                smtp.login(*self._login)
            smtp.send_message(message)


def _check_login(login: object, tls: ssl.SSLContext | None) -> None:
    if not (
        isinstance(login, tuple) and len(login) == 2 and all(isinstance(p, str) for p in login)
    ):
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            f"login must be a (user name, password) pair of texts, got {type(login).__name__}.",
            "login",
        )
    if tls is None:
        raise InvalidInput(
            Code.ARGUMENT_INVALID,
            "A login without tls would send the password in plain text; give a TLS context "
            "(ssl.create_default_context()) for STARTTLS.",
            "login",
        )


def _ascii_domain(address: str) -> str:
    """Return the address with its domain in ASCII (IDNA), which every SMTP server takes.

    An address whose local part is not ASCII stays as it is: only a server that
    offers SMTPUTF8 takes it.
    """
    try:
        return validate_email(address, check_deliverability=False).ascii_email or address
    except EmailNotValidError:
        return address


class NotifierByChannel:
    """Hands each notification to the notifier of its channel: SMS, e-mail or letter."""

    def __init__(self, routes: Mapping[Channel, Notifier]) -> None:
        """Route by ``routes``, which must name a notifier for every channel.

        The customer is reached by another channel when the usual one has no
        address, so any notification may travel by any channel.

        Raises:
            InvalidInput: ``argument.invalid`` when a channel has no notifier.
        """
        missing = [str(channel) for channel in Channel if channel not in routes]
        if missing:
            raise InvalidInput(
                Code.ARGUMENT_INVALID,
                f"Every channel needs a notifier; {', '.join(missing)} has none. A "
                "notification may go by any channel when the customer lacks the usual "
                "address.",
                "routes",
            )
        self.routes = dict(routes)

    def deliver(self, notification: Notification) -> None:
        """Deliver the notification through the notifier of its channel."""
        self.routes[notification.channel].deliver(notification)
