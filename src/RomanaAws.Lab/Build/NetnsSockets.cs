using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace RomanaAws.Lab.Build;

/// <summary>
/// Sockets that live in another network namespace: a short-lived thread enters the namespace (<c>setns(2)</c> changes
/// only the calling thread's), creates the sockets and ends; a socket keeps the namespace it was created in, so the
/// caller then uses them from any thread. The lab's probes are thus packets from inside a pod, without a process per
/// probe (a TCP and a UDP probe of every pod pair take well under a second, not minutes of nc timeouts).
/// </summary>
public static partial class NetnsSockets
{
    private const int CloneNewNet = 0x40000000;

    public static IReadOnlyList<Socket> Open(string netns, SocketType type, ProtocolType protocol, int count)
    {
        var sockets = new List<Socket>(count);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{netns}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new LabException($"setns into {netns} failed: errno {Marshal.GetLastPInvokeError()} (root is needed)");
                }

                for (var i = 0; i < count; i++)
                {
                    sockets.Add(new Socket(System.Net.Sockets.AddressFamily.InterNetwork, type, protocol));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException or LabException)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "netns " + netns };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            throw failure as LabException ?? new LabException($"cannot open sockets in {netns}: {failure.Message}");
        }

        return sockets;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
