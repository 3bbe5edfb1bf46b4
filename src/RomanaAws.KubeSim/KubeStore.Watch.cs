namespace RomanaAws.KubeSim;

public sealed partial class KubeStore
{
    /// <summary>
    /// Opens a watch. From no resourceVersion (or "0"): an ADDED event for every matching object, then changes. From N:
    /// every change after N (410 Expired when N is older than the kept history), then changes. Replay and live events
    /// are queued under the one lock, so none is lost or doubled between them.
    /// </summary>
    public KubeWatch Watch(KubeResource resource, string? ns, Core.Labels.LabelSelector labels, FieldSelector fields, long? from)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_lock)
        {
            var watch = new KubeWatch(resource, ns, labels, fields, Close);
            if (from is null or 0)
            {
                foreach (var item in _objects[resource].Values.Where(watch.Matches))
                {
                    watch.Events.Writer.TryWrite(new KubeWatchEvent("ADDED", (System.Text.Json.Nodes.JsonObject)item.DeepClone()));
                }
            }
            else if (from < _compacted)
            {
                throw new KubeApiException(410, "Expired", $"too old resource version: {from} ({_compacted})");
            }
            else
            {
                foreach (var change in _history.Where(c => c.Resource == resource && c.Revision > from))
                {
                    if (watch.See(change) is { } seen)
                    {
                        watch.Events.Writer.TryWrite(seen);
                    }
                }
            }

            _watches.Add(watch);
            return watch;
        }
    }

    private void Close(KubeWatch watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
        }
    }
}
