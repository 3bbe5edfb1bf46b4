namespace RomanaAws.CniProtocol;

/// <summary>
/// The answer to STATUS: <see cref="Code"/> 0 when ADD can be served now; 50 when it cannot; 51 when it cannot and
/// existing pods may have limited connectivity. <see cref="Message"/> says why.
/// </summary>
public sealed record CniStatus(int Code, string Message);
