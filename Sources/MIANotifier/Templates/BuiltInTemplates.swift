import MIAContracts

/// The shipped templates (`notifier/templates/<kind>.mustache`), compiled in so that the worker works without the
/// folder. A test keeps them equal to the files.
enum BuiltInTemplates {
    /// The source of each kind's template.
    static let sources: [NotificationKind: String] = [
        .referralReceived: #"""
        Anvisning {{referralId}} har tagits emot av insatsen
        Hej!

        Insatsen har tagit emot anvisning {{referralId}} (ert ärende {{agencyCaseRef}}).
        Planerad period: {{plannedStart}} – {{plannedEnd}}.

        Insatsen kontaktar dig för att boka ett trepartsmöte.
        """#,
        .meetingBooked: #"""
        {{Meeting}} bokat {{day}}, anvisning {{referralId}}
        Hej!

        Ett {{meeting}} är bokat för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}).

        Tid: {{when}}
        Plats: {{location}}

        En kalenderinbjudan är bifogad.
        """#,
        .meetingRescheduled: #"""
        {{Meeting}} flyttat till {{day}}, anvisning {{referralId}}
        Hej!

        Ett {{meeting}} för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}) har flyttats.

        Ny tid: {{when}}
        Plats: {{location}}

        Den bifogade kalenderinbjudan ersätter den tidigare.
        """#,
        .meetingCancelled: #"""
        {{Meeting}} inställt, anvisning {{referralId}}
        Hej!

        Ett {{meeting}} för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}) har ställts in.
        {{#when}}

        Tid: {{when}}
        {{/when}}
        {{#location}}
        Plats: {{location}}
        {{/location}}
        {{#reason}}
        Orsak: {{reason}}
        {{/reason}}

        Den bifogade kalenderfilen tar bort mötet ur din kalender.
        """#,
        .meetingUnschedulable: #"""
        Åtgärd krävs: ingen tid för {{meeting}}, anvisning {{referralId}}
        Hej!

        Det gick inte att hitta en gemensam tid för ett {{meeting}} inom bokningsfönstret för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}).
        {{#reason}}
        Orsak: {{reason}}
        {{/reason}}

        Kontakta insatsen för att boka en tid.
        """#,
        .placementReserved: #"""
        Plats för arbetsträning reserverad, anvisning {{referralId}}
        Hej!

        En plats för arbetsträning är reserverad för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}).

        ASF: {{asfId}}, verksamhet: {{activity}}
        Från: {{date}}
        """#,
        .placementWaitlisted: #"""
        Väntelista för arbetsträning, anvisning {{referralId}}
        Hej!

        Det finns ingen ledig plats för arbetsträning för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}) just nu.

        ASF: {{asfId}}, verksamhet: {{activity}}
        Plats i kön: {{position}} (sedan {{date}})

        Du får ett nytt meddelande när en plats blir ledig.
        """#,
        .placementFromWaitlist: #"""
        Plats för arbetsträning ledig, anvisning {{referralId}}
        Hej!

        En plats har blivit ledig: anvisning {{referralId}} (ert ärende {{agencyCaseRef}}) har fått en plats för arbetsträning.

        ASF: {{asfId}}, verksamhet: {{activity}}
        Från: {{date}}
        """#,
        .followupReported: #"""
        Uppföljning av anvisning {{referralId}}
        Hej!

        {{followup}} Anvisning {{referralId}} (ert ärende {{agencyCaseRef}}), {{date}}.
        {{#newPlannedEnd}}
        Nytt planerat slutdatum: {{newPlannedEnd}}.
        {{/newPlannedEnd}}
        {{#nextFollowupDue}}
        Nästa uppföljning: {{nextFollowupDue}}.
        {{/nextFollowupDue}}

        Återrapporten finns hos insatsen.
        """#,
        .approachingEnd: #"""
        Planera nästa steg: insatsen för anvisning {{referralId}} närmar sig sitt slut
        Hej!

        Insatsen för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}) närmar sig sitt slut (rapporterat {{date}}).
        {{#nextFollowupDue}}
        Nästa uppföljning: {{nextFollowupDue}}.
        {{/nextFollowupDue}}

        Planera nästa steg tillsammans med insatsen.
        """#,
        .outcomeRecorded: #"""
        Slutdokumentation för anvisning {{referralId}}
        Hej!

        Insatsen för anvisning {{referralId}} (ert ärende {{agencyCaseRef}}) avslutades {{endDate}}. Slutdokumentationen är registrerad.

        Resultat: {{outcome}}
        """#,
    ]
}
