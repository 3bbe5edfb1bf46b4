using System.Net;
using k8s.Models;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Policy;

/// <summary>The API's Pod and Namespace objects as policy sees them. Pure.</summary>
public static class ClusterObjects
{
    /// <summary>
    /// A pod with an address policy can match, or null: a pod without an IP yet, a host-network pod (its address is
    /// the node's, which policies do not govern), or a finished pod (its address is released).
    /// </summary>
    public static PodInfo? Pod(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Spec?.HostNetwork == true || pod.Status?.Phase is "Succeeded" or "Failed" || pod.Metadata?.Name is not { } name)
        {
            return null;
        }

        var ip = pod.Status?.PodIP ?? pod.Status?.PodIPs?.FirstOrDefault()?.Ip;
        if (ip is null || !IPAddress.TryParse(ip, out var address))
        {
            return null;
        }

        var ports = (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? [])
            .Where(p => !string.IsNullOrEmpty(p.Name))
            .Select(p => new NamedPort(p.Name, p.Protocol ?? "TCP", p.ContainerPort))
            .Distinct().ToList();
        return new PodInfo(Namespace(pod.Metadata.NamespaceProperty), name, Labels(pod.Metadata.Labels), Cidr.FromAddress(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32), ports);
    }

    public static NamespaceInfo? Namespace(V1Namespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Metadata?.Name is { } name ? NamespaceInfo.Of(name, Labels(ns.Metadata.Labels)) : null;
    }

    private static string Namespace(string? name) => string.IsNullOrEmpty(name) ? "default" : name;

    private static Dictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        labels is null ? new(StringComparer.Ordinal) : new(labels, StringComparer.Ordinal);
}
