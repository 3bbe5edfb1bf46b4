namespace RomanaAws.Controller.Status;

/// <summary>A pass stopped because this replica's term ended (its fence refused a write, or the term was cancelled): when, and why.</summary>
public sealed record StoppedPass(DateTimeOffset At, string Reason);
