namespace RomanaAws.Lab.Build;

/// <summary>The lab could not be built or run: the message says which step and why.</summary>
public sealed class LabException(string message) : Exception(message);
