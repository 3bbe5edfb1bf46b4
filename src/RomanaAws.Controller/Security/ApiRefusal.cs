namespace RomanaAws.Controller.Security;

/// <summary>Why a call is refused: the HTTP status (401 who are you, 403 not you, 413, 429, 503) and a message naming what to fix.</summary>
public sealed record ApiRefusal(int Status, string Reason);
