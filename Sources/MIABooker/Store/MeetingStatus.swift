/// The status column of `booker_meetings`.
enum MeetingStatus: String, Sendable, Hashable {
    /// Holds a slot and its parties' time.
    case booked
    /// Cancelled by an outcome; its time is released.
    case cancelled
    /// No slot was found; holds no time.
    case unschedulable
}
