namespace RomanaAws.Cni.Spec;

/// <summary>CNI_ARGS: <c>K=V;K=V</c> (kubelet and containerd pass K8S_POD_NAMESPACE, K8S_POD_NAME, IgnoreUnknown).</summary>
internal sealed record CniArgs(IReadOnlyDictionary<string, string> Values)
{
    public static readonly CniArgs None = new(new Dictionary<string, string>());

    public string? PodNamespace => Values.GetValueOrDefault("K8S_POD_NAMESPACE") is { Length: > 0 } ns ? ns : null;

    public string? PodName => Values.GetValueOrDefault("K8S_POD_NAME") is { Length: > 0 } name ? name : null;

    public static CniArgs Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return None;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CniFailure(CniErrorCode.InvalidEnvironment, $"CNI_ARGS: '{Clip(pair)}' is not KEY=VALUE (expected KEY=VALUE pairs separated by ';')");
            }

            values[pair[..eq]] = pair[(eq + 1)..];
        }

        return new CniArgs(values);
    }

    internal static string Clip(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
