namespace RomanaAws.Cni.Spec;

/// <summary>A failure the plugin reports as the spec's error JSON on stdout (exit 1): code, message, details.</summary>
internal sealed class CniFailure(int code, string message, string? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string? Details { get; } = details;
}
