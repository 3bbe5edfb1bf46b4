namespace RomanaAws.Core.Agents;

/// <summary>The body of every refused agent API call: what was wrong, naming the field and value.</summary>
public sealed record AgentApiError(string Error);
