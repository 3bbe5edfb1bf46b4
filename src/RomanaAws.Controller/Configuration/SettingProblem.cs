namespace RomanaAws.Controller.Configuration;

/// <summary>A setting that cannot be used: its configuration key (<c>controller:listen</c>), the value, and what would be valid.</summary>
public sealed record SettingProblem(string Key, string? Value, string Message);
