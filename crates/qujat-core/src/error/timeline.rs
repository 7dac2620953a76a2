//! Errors of one area: recording and correcting the events of a dossier's
//! timeline, and the deadlines calendar made from them.

area_error! {
    /// What went wrong with the timeline's events or the deadlines calendar.
    /// Serialises as `{ "code": …, …fields }`, like every area's error: the wrapper
    /// [`super::Error`] adds nothing on the wire.
    pub enum TimelineError {
        /// No event kind with this id in the dossier's program.
        #[error("unknown event \"{id}\"; the events are: {}", known.join(", "))]
        UnknownEventKind {
            /// What was asked for.
            id: String,
            /// The valid event ids.
            known: Vec<String>,
        },
        /// No recorded event with this number in the dossier.
        #[error("the dossier has no event #{id}; its events are: {}", known.join(", "))]
        UnknownEvent {
            /// The number asked for.
            #[ts(type = "number")]
            id: i64,
            /// The dossier's event numbers.
            known: Vec<String>,
        },
        /// An event of this kind is already recorded; it is corrected, not added twice.
        #[error("{kind} is already recorded as event #{id}; correct that one instead")]
        EventAlreadyRecorded {
            /// The event kind.
            kind: String,
            /// The recorded event's number.
            #[ts(type = "number")]
            id: i64,
        },
        /// An event was dated in the future; events are recorded once they happened.
        #[error("{kind} on {date}: that day is in the future; record an event once it has happened")]
        FutureEvent {
            /// The event kind.
            kind: String,
            /// The date given.
            date: String,
        },
        /// An event needs another one that is not recorded.
        #[error("{kind} needs {requires} to be recorded first")]
        MissingPrerequisite {
            /// The event kind.
            kind: String,
            /// The event it needs.
            requires: String,
        },
        /// An event is dated before an event that must come first.
        #[error("{kind} on {date} cannot come before {requires} on {requires_date}")]
        EventOutOfOrder {
            /// The event kind.
            kind: String,
            /// Its date.
            date: String,
            /// The event that must come on or before it.
            requires: String,
            /// That event's date.
            requires_date: String,
        },
        /// Removing or re-kinding an event would leave a later one without its prerequisite.
        #[error("{kind} cannot be removed or changed: {needed_by} depends on it")]
        EventStillNeeded {
            /// The event being removed or changed.
            kind: String,
            /// The recorded event that needs it.
            needed_by: String,
        },
        /// Two events that exclude each other (an approval and a refusal).
        #[error("{kind} cannot be recorded together with {other}")]
        EventsExclusive {
            /// The event being recorded.
            kind: String,
            /// The recorded event it excludes.
            other: String,
        },
        /// No deadline has a date yet (they count from recorded events), so a
        /// calendar file would be empty; none is written.
        #[error("there are no dated deadlines to put in a calendar yet")]
        NothingToExport,
    }
}

impl TimelineError {
    /// Whether this is about what the user asked for (see
    /// [`super::Error::is_bad_input`]). Every variant is classed here, with
    /// no catch-all, so a new one must be classed on purpose.
    pub fn is_bad_input(&self) -> bool {
        match self {
            TimelineError::UnknownEventKind { .. }
            | TimelineError::UnknownEvent { .. }
            | TimelineError::EventAlreadyRecorded { .. }
            | TimelineError::FutureEvent { .. }
            | TimelineError::MissingPrerequisite { .. }
            | TimelineError::EventOutOfOrder { .. }
            | TimelineError::EventStillNeeded { .. }
            | TimelineError::EventsExclusive { .. }
            | TimelineError::NothingToExport => true,
        }
    }
}
