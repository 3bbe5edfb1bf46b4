using System.Net;
using System.Net.Sockets;
using System.Text;
using RomanaAws.Lab.Scenarios;

namespace RomanaAws.Lab.Build;

/// <summary>
/// The reachability matrix, probed from inside the pods (<see cref="NetnsSockets"/>): from every pod, a TCP connection
/// and a UDP datagram to every other pod's server, which answers with its own name; a cell counts only when the answer
/// names the pod that was meant (a packet that reached the wrong pod is not "reachable"). UDP is sent up to three
/// times, as a datagram may meet a neighbour entry still being resolved.
/// </summary>
public static class PodProbe
{
    public static async Task<HashSet<Reach>> MatrixAsync(IReadOnlyList<LabPod> pods, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var answered = new HashSet<Reach>();
        var tasks = pods.Select(from => Task.Run(() => FromAsync(from, pods.Where(p => p != from).ToList(), timeout, cancellationToken), cancellationToken)).ToList();
        foreach (var reached in await Task.WhenAll(tasks))
        {
            answered.UnionWith(reached);
        }

        return answered;
    }

    private static async Task<List<Reach>> FromAsync(LabPod from, List<LabPod> targets, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcp = NetnsSockets.Open(from.Namespace, SocketType.Stream, ProtocolType.Tcp, targets.Count);
        var udp = NetnsSockets.Open(from.Namespace, SocketType.Dgram, ProtocolType.Udp, 1)[0];
        try
        {
            var tcpReached = targets.Select((to, i) => TcpAsync(tcp[i], to, timeout, cancellationToken)).ToList();
            var udpReached = await UdpAsync(udp, targets, timeout, cancellationToken);
            var reached = (await Task.WhenAll(tcpReached)).Zip(targets).Where(x => x.First).Select(x => new Reach(from.Namespace, x.Second.Namespace, LabProtocol.Tcp)).ToList();
            reached.AddRange(udpReached.Select(to => new Reach(from.Namespace, to.Namespace, LabProtocol.Udp)));
            return reached;
        }
        finally
        {
            foreach (var socket in tcp)
            {
                socket.Dispose();
            }

            udp.Dispose();
        }
    }

    private static async Task<bool> TcpAsync(Socket socket, LabPod to, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(to.Address), Reach.Port), deadline.Token);
            var buffer = new byte[256];
            var length = 0;
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, deadline.Token)) > 0 && length < buffer.Length)
            {
                length += read;
            }

            return Encoding.ASCII.GetString(buffer, 0, length).Trim() == to.Namespace;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<List<LabPod>> UdpAsync(Socket socket, List<LabPod> targets, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var byAddress = targets.ToDictionary(t => IPAddress.Parse(t.Address));
        var reached = new HashSet<LabPod>();
        var probe = "probe"u8.ToArray();
        var buffer = new byte[256];
        for (var attempt = 0; attempt < 3 && reached.Count < targets.Count; attempt++)
        {
            foreach (var to in targets.Where(t => !reached.Contains(t)))
            {
                try
                {
                    await socket.SendToAsync(probe, SocketFlags.None, new IPEndPoint(IPAddress.Parse(to.Address), Reach.Port), cancellationToken);
                }
                catch (SocketException)
                {
                    // unreachable (ICMP error from a previous probe, or no route): counted as not answered
                }
            }

            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(timeout / 3);
            try
            {
                while (reached.Count < targets.Count)
                {
                    EndPoint any = new IPEndPoint(IPAddress.Any, 0);
                    var answer = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, window.Token);
                    if (answer.RemoteEndPoint is IPEndPoint sender && byAddress.TryGetValue(sender.Address, out var pod)
                        && Encoding.ASCII.GetString(buffer, 0, answer.ReceivedBytes).Trim() == pod.Namespace)
                    {
                        reached.Add(pod);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // the window closed (or an ICMP error arrived): send again to those that did not answer
            }
        }

        return [.. reached];
    }
}
