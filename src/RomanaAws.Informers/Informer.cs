using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly;
using Polly.Retry;

namespace RomanaAws.Informers;

/// <summary>A page of a list: the objects and the list's resourceVersion, to watch from.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>
/// A cache of one resource kept by list + watch, as client-go's reflector keeps one (KubernetesClient has none):
/// list, then watch from the list's resourceVersion with bookmarks; a watch that ends (server timeout, a dropped
/// connection, an API server restart) is resumed from the last resourceVersion seen; <c>410 Expired</c> (the
/// version is older than the server's history) relists; a full relist every <see cref="Resync"/> is the safety net.
/// Errors back off exponentially with jitter (Polly), reported each time, and the cache keeps serving what it has.
/// </summary>
public sealed class Informer<T>(
    string what,
    Func<CancellationToken, Task<ListPage<T>>> list,
    Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Item)>> watch,
    Action onChange,
    Func<string, Task> report,
    TimeProvider time,
    TimeSpan resync)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _version;

    public TimeSpan Resync => resync;

    /// <summary>Completes after the first successful list.</summary>
    public Task Synced => _synced.Task;

    /// <summary>How many times this informer listed (the first list, relists after 410, resyncs).</summary>
    public int Lists { get; private set; }

    public IReadOnlyCollection<T> Items => [.. _items.Values];

    /// <summary>The cached object, or null (default).</summary>
    public T? Get(string? ns, string name) => _items.TryGetValue($"{ns}/{name}", out var item) ? item : default;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is HttpRequestException or HttpOperationException or IOException or KubernetesException or TimeoutException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(30),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = async args => await report($"{what}: {args.Outcome.Exception?.Message}; retrying in {args.RetryDelay.TotalSeconds:0.0} s"),
        }).Build();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await retry.ExecuteAsync(SessionAsync, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One list (when no version is held) and the watches that follow it, until a relist is due. An error escapes to the
    /// retry with the version reached kept, so the retry resumes the watch rather than listing again.
    /// </summary>
    private async ValueTask SessionAsync(CancellationToken cancellationToken)
    {
        var listedAt = time.GetUtcNow();
        if (_version is null)
        {
            var page = await list(cancellationToken);
            var fresh = page.Items.ToDictionary(Key, StringComparer.Ordinal);
            foreach (var gone in _items.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
            {
                _items.TryRemove(gone, out _);
            }

            foreach (var (key, item) in fresh)
            {
                _items[key] = item;
            }

            _version = page.ResourceVersion;
            Lists++;
            _synced.TrySetResult();
            onChange();
        }

        while (time.GetUtcNow() - listedAt < resync)
        {
            var expired = false;
            var streamed = false;
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(resync - (time.GetUtcNow() - listedAt));
            try
            {
                await foreach (var (type, item) in watch(_version, ex => expired |= ex is KubernetesException { Status.Code: 410 }, window.Token))
                {
                    streamed = true;
                    _version = item.Metadata?.ResourceVersion ?? _version;
                    switch (type)
                    {
                        case WatchEventType.Added or WatchEventType.Modified:
                            _items[Key(item)] = item;
                            onChange();
                            break;
                        case WatchEventType.Deleted:
                            _items.TryRemove(Key(item), out _);
                            onChange();
                            break;
                    }
                }
            }
            catch (EndOfStreamException)
            {
                // The watch closed before its first line (a server-side timeout with no events): watch again.
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested && streamed)
            {
                // The stream broke after it had started (API server restart, load balancer): resume from the version held.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (expired)
            {
                await report($"{what}: resourceVersion {_version} expired (410); listing again");
                _version = null;
                return;
            }
        }

        // The periodic full resync: list again, repairing anything a watch might have missed.
        _version = null;
    }

    private static string Key(T item) => $"{item.Metadata?.NamespaceProperty}/{item.Metadata?.Name}";
}
