using System.Text.Json;

namespace RomanaAws.Controller.Replication;

/// <summary>What the leader key holds: the leader's identity and API address (JSON), so standbys can forward to it.</summary>
public sealed record LeaderHolder(string Id, string Url)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LeaderHolder? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LeaderHolder>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
