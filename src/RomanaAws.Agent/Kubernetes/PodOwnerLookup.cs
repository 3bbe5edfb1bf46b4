using k8s;
using k8s.Autorest;
using k8s.Models;
using RomanaAws.Informers;

namespace RomanaAws.Agent.Kubernetes;

/// <summary>
/// Reads a new pod for the CNI ADD: from the pods informer's cache when it has the pod already, otherwise one GET (a
/// pod just scheduled may not have reached the watch yet). The API unreachable is "try again later" for the runtime,
/// never a guess: an address in the wrong owner's block would put the pod under the wrong policies.
/// </summary>
public sealed class PodOwnerLookup(IKubernetes client, Informer<V1Pod>? cache)
{
    public async Task<OwnerDecision> ResolveAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var cached = cache?.Get(ns, name);
        if (cached is not null)
        {
            return PodOwner.Decide(cached);
        }

        try
        {
            return PodOwner.Decide(await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return OwnerDecision.Fail($"pod {ns}/{name} is not in the Kubernetes API (deleted before its sandbox started?)");
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return OwnerDecision.Fail($"cannot read pod {ns}/{name} from the Kubernetes API: {ex.Message}");
        }
    }
}
