namespace RomanaAws.VpcSim.World;

/// <summary>Tags of one resource, in insertion order (EC2 returns them that way).</summary>
internal sealed class SimTags
{
    private readonly List<KeyValuePair<string, string>> _tags = [];

    public IReadOnlyList<KeyValuePair<string, string>> All => _tags;

    public void Set(string key, string value)
    {
        var at = _tags.FindIndex(t => t.Key == key);
        if (at >= 0)
        {
            _tags[at] = new(key, value);
        }
        else
        {
            _tags.Add(new(key, value));
        }
    }

    public void SetAll(IEnumerable<KeyValuePair<string, string>>? tags)
    {
        foreach (var (key, value) in tags ?? [])
        {
            Set(key, value);
        }
    }

    public string? Get(string key) => _tags.FirstOrDefault(t => t.Key == key).Value;

    public bool Has(string key) => _tags.Any(t => t.Key == key);
}
