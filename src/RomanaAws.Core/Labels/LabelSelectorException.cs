namespace RomanaAws.Core.Labels;

/// <summary>A label selector (or key, or value) the Kubernetes API would refuse: the message names the field, the value and what is valid.</summary>
public sealed class LabelSelectorException(string message) : Exception(message);
