using System.Text.Json.Nodes;
using System.Threading.Channels;
using RomanaAws.Core.Labels;

namespace RomanaAws.KubeSim;

/// <summary>One watch event as sent: its type and the object (a deep copy the caller may serialize).</summary>
public sealed record KubeWatchEvent(string Type, JsonObject Item);

/// <summary>
/// An open watch: what it selects and the events for it, in order. Created by <see cref="KubeStore.Watch"/> with the
/// events it must start with already queued; disposing it stops the store from writing to it.
/// </summary>
public sealed class KubeWatch : IDisposable
{
    private readonly Action<KubeWatch> _close;

    internal KubeWatch(KubeResource resource, string? ns, LabelSelector labels, FieldSelector fields, Action<KubeWatch> close)
    {
        Resource = resource;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        _close = close;
    }

    public KubeResource Resource { get; }

    public string? Namespace { get; }

    internal LabelSelector Labels { get; }

    internal FieldSelector Fields { get; }

    internal Channel<KubeWatchEvent> Events { get; } = Channel.CreateUnbounded<KubeWatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    public ChannelReader<KubeWatchEvent> Reader => Events.Reader;

    internal bool Matches(JsonObject item) =>
        (Namespace is null || KubeObject.Namespace(item) == Namespace) && Labels.Matches(KubeObject.Labels(item)) && Fields.Matches(item);

    /// <summary>
    /// The event this watch sees for a change, with the API's selector transitions: an object that starts matching
    /// arrives as ADDED, one that stops as DELETED (its last matching state, at the change's resourceVersion).
    /// </summary>
    internal KubeWatchEvent? See(StoredEvent change)
    {
        var before = change.Old is not null && Matches(change.Old);
        var after = change.New is not null && Matches(change.New);
        return (before, after) switch
        {
            (true, true) => new("MODIFIED", (JsonObject)change.New!.DeepClone()),
            (false, true) => new("ADDED", (JsonObject)change.New!.DeepClone()),
            (true, false) => new("DELETED", WithVersion(change.Old!, change.Revision)),
            _ => null,
        };
    }

    private static JsonObject WithVersion(JsonObject item, long revision)
    {
        var copy = (JsonObject)item.DeepClone();
        KubeObject.Metadata(copy)["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }

    public void Dispose()
    {
        Events.Writer.TryComplete();
        _close(this);
    }
}

/// <summary>A change in the store's history: the object before (null when created) and after (null when deleted).</summary>
internal sealed record StoredEvent(long Revision, KubeResource Resource, JsonObject? Old, JsonObject? New);
