"""The texts of every notification kind in Swedish, Norwegian, German and English.

Keyed by the kind's code (``"port.completed"``) and the locale. Placeholders in
``{braces}`` are filled by `portflow._core.notifications.render`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs


@attrs.frozen(weakref_slot=False)
class Template:
    """The subject and body of one kind in one locale, with ``{name}`` placeholders."""

    subject: str
    body: str


_T = Template
TEMPLATES: Final[Mapping[str, Mapping[str, Template]]] = {
    "order.confirmation": {
        "sv": _T(
            "Avtalsbekräftelse för order {order_id}",
            "Tack för din beställning. Vi bekräftar härmed avtalet för order {order_id}.",
        ),
        "nb": _T(
            "Avtalebekreftelse for ordre {order_id}",
            "Takk for bestillingen din. Vi bekrefter med dette avtalen for ordre {order_id}.",
        ),
        "de": _T(
            "Vertragsbestätigung zu Auftrag {order_id}",
            "Vielen Dank für Ihre Bestellung. Hiermit bestätigen wir den Vertrag zu Auftrag "
            "{order_id}.",
        ),
        "en": _T(
            "Confirmation of your agreement, order {order_id}",
            "Thank you for your order. We hereby confirm your agreement for order {order_id}.",
        ),
    },
    "sim.shipped": {
        "sv": _T(
            "Ditt SIM-kort är på väg",
            "Ditt SIM-kort för order {order_id} har skickats separat, tillsammans med eventuell "
            "mobiltelefon eller annan utrustning. Fram till nummerflytten har du följande "
            "tillfälliga nummer: {temporary_number}. Du kan alltså börja ringa direkt när du har "
            "fått SIM-kortet.",
        ),
        "nb": _T(
            "SIM-kortet ditt er på vei",
            "SIM-kortet ditt for ordre {order_id} er sendt separat, sammen med eventuell "
            "mobiltelefon eller annet utstyr. Frem til nummeroverføringen har du følgende "
            "midlertidige nummer: {temporary_number}. Du kan altså begynne å ringe så snart du "
            "har fått SIM-kortet.",
        ),
        "de": _T(
            "Ihre SIM-Karte ist unterwegs",
            "Ihre SIM-Karte zu Auftrag {order_id} wurde separat verschickt, zusammen mit "
            "allfälligen Mobiltelefonen oder weiteren Geräten. Bis zur Portierung sind Sie "
            "provisorisch unter {temporary_number} erreichbar und können telefonieren, sobald die "
            "SIM-Karte bei Ihnen eingetroffen ist.",
        ),
        "en": _T(
            "Your SIM card is on its way",
            "Your SIM card for order {order_id} has been sent separately, together with any phone "
            "or other equipment you ordered. Until your number has been transferred, you can be "
            "reached at {temporary_number}, and you can start calling as soon as the SIM card "
            "arrives.",
        ),
    },
    "port.date_announced": {
        "sv": _T(
            "Datum för nummerflytt",
            "Ditt nummer {number} flyttas till oss den {port_date} kl. {port_time}. Då kopplas "
            "numret automatiskt till ditt nya SIM-kort och det tillfälliga numret "
            "{temporary_number} slutar fungera. Se till att ditt nya SIM-kort sitter i telefonen. "
            "Order {order_id}.",
        ),
        "nb": _T(
            "Dato for nummeroverføring",
            "Nummeret ditt {number} overføres til oss {port_date} kl. {port_time}. Da flyttes "
            "nummeret automatisk til det nye SIM-kortet ditt, og det midlertidige nummeret "
            "{temporary_number} slutter å virke. Sørg for at det nye SIM-kortet sitter i "
            "telefonen. Ordre {order_id}.",
        ),
        "de": _T(
            "Datum Ihrer Portierung",
            "Ihre Nummer {number} wird am {port_date} um {port_time} Uhr zu uns portiert. Dabei "
            "wechselt die Nummer automatisch auf Ihre neue SIM-Karte, und die provisorische "
            "Nummer {temporary_number} wird deaktiviert. Bitte achten Sie darauf, dass die neue "
            "SIM-Karte dann im Telefon steckt. Auftrag {order_id}.",
        ),
        "en": _T(
            "Your number transfer date",
            "Your number {number} will be transferred to us on {port_date} at {port_time}. It "
            "then moves to your new SIM card automatically and the temporary number "
            "{temporary_number} stops working. Please make sure the new SIM card is in your phone "
            "by then. Order {order_id}.",
        ),
    },
    "port.completed": {
        "sv": _T(
            "Nummerflytten är klar",
            "Nummerflytten av {number} till oss är klar (order {order_id}).",
        ),
        "nb": _T(
            "Nummeroverføringen er fullført",
            "Nummeroverføringen av {number} til oss er fullført (ordre {order_id}).",
        ),
        "de": _T(
            "Portierung abgeschlossen",
            "Die Portierung von {number} zu uns ist abgeschlossen (Auftrag {order_id}).",
        ),
        "en": _T(
            "Your number transfer is complete",
            "The transfer of {number} to us is complete (order {order_id}).",
        ),
    },
    "equipment.connect_reminder": {
        "sv": _T(
            "Koppla in din utrustning",
            "Nummerflytten av {number} till oss sker den {port_date} (order {order_id}). Anslut "
            "utrustningen du har fått från oss till din internetuppkoppling före dess, annars "
            "fungerar inte telefonin när flytten går igenom.",
        ),
        "nb": _T(
            "Koble til utstyret ditt",
            "Nummeroverføringen av {number} til oss skjer {port_date} (ordre {order_id}). Koble "
            "utstyret du har fått fra oss, til internettforbindelsen din før den tid. Ellers vil "
            "ikke telefonien virke når overføringen er gjennomført.",
        ),
        "de": _T(
            "Bitte schliessen Sie Ihre Geräte an",
            "Die Portierung von {number} zu uns erfolgt am {port_date} (Auftrag {order_id}). "
            "Bitte schliessen Sie die Geräte, die Sie von uns erhalten haben, vorher an Ihren "
            "Internetanschluss an; sonst funktioniert die Telefonie nach der Portierung nicht.",
        ),
        "en": _T(
            "Please connect your equipment",
            "The transfer of {number} to us takes place on {port_date} (order {order_id}). Please "
            "connect the equipment we sent you to your internet connection before then; otherwise "
            "your phone service will not work once the transfer is done.",
        ),
    },
    "port.deferred": {
        "sv": _T(
            "Vi avvaktar med din beställning",
            "Enligt din tidigare operatör löper ditt avtal till {binding_end}. Vi avvaktar därför "
            "med order {order_id} och lägger in beställningen den {wake_date}. Du får ett nytt "
            "brev när anslutningsdatumet är bestämt.",
        ),
        "nb": _T(
            "Vi venter med bestillingen din",
            "Ifølge din tidligere operatør løper avtalen din til {binding_end}. Vi venter derfor "
            "med ordre {order_id} og legger inn bestillingen {wake_date}. Du får et nytt brev når "
            "tilkoblingsdatoen er fastsatt.",
        ),
        "de": _T(
            "Ihre Bestellung wird zurückgestellt",
            "Laut Ihrem bisherigen Anbieter läuft Ihr Vertrag bis {binding_end}. Wir stellen "
            "Auftrag {order_id} deshalb zurück und lösen die Bestellung am {wake_date} aus. "
            "Sobald das Aufschaltdatum feststeht, erhalten Sie einen weiteren Brief.",
        ),
        "en": _T(
            "We are holding your order",
            "According to your current operator, your contract runs until {binding_end}. We are "
            "therefore holding order {order_id} and will place it on {wake_date}. You will "
            "receive another letter once the connection date is fixed.",
        ),
    },
    "port.ordered_pending_binding": {
        "sv": _T(
            "Din beställning är inlagd",
            "Vi har lagt in din beställning (order {order_id}). Din bindningstid hos din tidigare "
            "operatör löper till och med {binding_end}, så vi genomför beställningen tidigast den "
            "dagen. Du får ett brev när anslutningsdatumet är bestämt.",
        ),
        "nb": _T(
            "Bestillingen din er lagt inn",
            "Vi har lagt inn bestillingen din (ordre {order_id}). Bindingstiden hos din tidligere "
            "operatør løper til og med {binding_end}, så vi gjennomfører bestillingen tidligst "
            "den dagen. Du får et brev når tilkoblingsdatoen er fastsatt.",
        ),
        "de": _T(
            "Ihre Bestellung ist ausgelöst",
            "Wir haben Ihre Bestellung ausgelöst (Auftrag {order_id}). Ihr Vertrag beim "
            "bisherigen Anbieter läuft bis zum {binding_end}; wir führen die Bestellung deshalb "
            "frühestens an diesem Tag aus. Sobald das Aufschaltdatum feststeht, erhalten Sie "
            "einen Brief.",
        ),
        "en": _T(
            "Your order has been placed",
            "We have placed your order {order_id}. Your contract with your current operator runs "
            "until {binding_end}, so we will carry out the order on that day at the earliest. "
            "You will receive a letter once the connection date is fixed.",
        ),
    },
    "modem.shipped": {
        "sv": _T(
            "Ditt modem är på väg",
            "Vi har skickat modemet för order {order_id}. Det är konfigurerat och klart att "
            "använda från och med anslutningen den {connection_date}. Kontakta vår tekniska "
            "support om du har frågor om installationen.",
        ),
        "nb": _T(
            "Modemet ditt er på vei",
            "Vi har sendt modemet for ordre {order_id}. Det er konfigurert og klart til bruk fra "
            "og med tilkoblingsdatoen {connection_date}. Kontakt vår tekniske support hvis du har "
            "spørsmål om installasjonen.",
        ),
        "de": _T(
            "Ihr Modem ist unterwegs",
            "Wir haben das Modem zu Auftrag {order_id} verschickt. Es ist vorkonfiguriert und ab "
            "der Aufschaltung am {connection_date} betriebsbereit. Bei Fragen zur Installation "
            "wenden Sie sich bitte an unseren technischen Support.",
        ),
        "en": _T(
            "Your modem is on its way",
            "We have sent the modem for order {order_id}. It is configured and ready to use from "
            "the connection on {connection_date}. If you have questions about the installation, "
            "please contact our technical support.",
        ),
    },
    "connection.date": {
        "sv": _T(
            "Datum för din anslutning",
            "Din anslutning för order {order_id} kopplas in den {connection_date}.",
        ),
        "nb": _T(
            "Dato for tilkoblingen din",
            "Tjenesten din for ordre {order_id} kobles opp {connection_date}.",
        ),
        "de": _T(
            "Datum Ihrer Aufschaltung",
            "Ihr Anschluss zu Auftrag {order_id} wird am {connection_date} aufgeschaltet.",
        ),
        "en": _T(
            "Your connection date",
            "Your service for order {order_id} will be connected on {connection_date}.",
        ),
    },
    "clarification.requested": {
        "sv": _T(
            "Fråga om portering {order_id}",
            "Vi behöver ett förtydligande innan vi kan gå vidare med portering {order_id}:\n\n"
            "{question}\n\nSvara i portalen.",
        ),
        "nb": _T(
            "Spørsmål om portering {order_id}",
            "Vi trenger en avklaring før vi kan gå videre med portering {order_id}:\n\n"
            "{question}\n\nSvar i portalen.",
        ),
        "de": _T(
            "Rückfrage zur Portierung {order_id}",
            "Bevor wir die Portierung {order_id} weiterbearbeiten können, benötigen wir eine "
            "Klärung:\n\n{question}\n\nBitte antworten Sie im Portal.",
        ),
        "en": _T(
            "Question about port {order_id}",
            "Before we can continue with port {order_id}, we need a clarification:\n\n"
            "{question}\n\nPlease answer in the portal.",
        ),
    },
    "advice.review_donor_services": {
        "sv": _T(
            "Se över befintliga avtal",
            "Portering {order_id} är godkänd. Vi rekommenderar att du går igenom kundens "
            "befintliga avtal, ser vilka tjänster som fortfarande behövs och säger upp de övriga "
            "för att undvika onödiga kostnader. Vid en fullständig portering stängs internet på "
            "samma avtal oftast av på porteringsdagen.",
        ),
        "nb": _T(
            "Gå gjennom eksisterende avtaler",
            "Portering {order_id} er godkjent. Vi anbefaler at du går gjennom kundens "
            "eksisterende avtaler, ser hvilke tjenester som fortsatt trengs, og sier opp resten "
            "for å unngå unødvendige kostnader. Ved full portering blir internett på samme avtale "
            "som regel stengt på porteringsdagen.",
        ),
        "de": _T(
            "Bestehende Verträge prüfen",
            "Die Portierung {order_id} ist genehmigt. Wir empfehlen, die bestehenden Verträge "
            "Ihres Kunden daraufhin zu prüfen, welche Dienste noch benötigt werden, und die "
            "übrigen zu kündigen, um unnötige Kosten zu vermeiden. Bei einer Vollportierung wird "
            "das Internet auf demselben Vertrag meist am Tag der Portierung abgeschaltet.",
        ),
        "en": _T(
            "Review existing contracts",
            "Port {order_id} has been approved. We recommend reviewing the customer's existing "
            "contracts to see which services are still needed and cancelling the rest to avoid "
            "unnecessary costs. With a full port, internet on the same contract is usually "
            "switched off on the port date.",
        ),
    },
    "temporary_number.deactivated": {
        "sv": _T(
            "Tillfälligt nummer avaktiverat",
            "Följande tillfälliga nummer har avaktiverats och kan inte längre användas: "
            "{temporary_number} (order {order_id}).",
        ),
        "nb": _T(
            "Midlertidig nummer deaktivert",
            "Følgende midlertidige nummer er deaktivert og kan ikke lenger brukes: "
            "{temporary_number} (ordre {order_id}).",
        ),
        "de": _T(
            "Provisorische Nummer deaktiviert",
            "Wir haben {temporary_number} (provisorisch zugeteilt, Auftrag {order_id}) "
            "deaktiviert. Sie können sie nicht mehr verwenden.",
        ),
        "en": _T(
            "Temporary number deactivated",
            "Deactivated for order {order_id}: {temporary_number}. A deactivated temporary number "
            "can no longer be used.",
        ),
    },
}
"""The texts of every kind in every locale of `LOCALES`."""

# The sentences the mobile variant appends, per kind and locale (seed 000:
# "Ibland krävs det att du då startar om din telefon ...").
MOBILE_NOTES: Final[Mapping[str, Mapping[str, str]]] = {
    "port.completed": {
        "sv": "Fungerar det inte än? Kontrollera SIM-kortet och starta om telefonen.",
        "nb": "Virker det ikke ennå? Sjekk SIM-kortet og start telefonen på nytt.",
        "de": "Funktioniert es noch nicht? SIM-Karte prüfen und Telefon neu starten.",
        "en": "Not working yet? Check the SIM card and restart your phone.",
    },
}
