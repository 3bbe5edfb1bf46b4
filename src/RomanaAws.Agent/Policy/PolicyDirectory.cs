using RomanaAws.Core.Configuration;

namespace RomanaAws.Agent.Policy;

/// <summary>
/// Policies, namespaces and pods from the <c>.yaml</c>, <c>.yml</c> and <c>.json</c> files of a directory (for tests
/// and clusters without API access), with the same semantics as from the API. Re-read only when a file changed.
/// </summary>
public sealed class PolicyDirectory(string directory) : IPolicySource
{
    private (string Stamp, PolicyInputs Inputs)? _cache;

    public Task Changed { get; } = new TaskCompletionSource().Task;

    public PolicyInputs Read()
    {
        var files = Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(f => new FileInfo(f)).ToList();
        var stamp = string.Join('|', files.Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
        if (_cache is { } cached && cached.Stamp == stamp)
        {
            return cached.Inputs;
        }

        var inputs = PolicyReader.Merge(files.Select(f => PolicyReader.Parse(InputFile.ReadText(f.FullName, "policy file"), f.FullName)));
        _cache = (stamp, inputs);
        return inputs;
    }
}
