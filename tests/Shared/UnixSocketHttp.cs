using System.Net.Sockets;

namespace RomanaAws.Tests.Shared;

/// <summary>An HttpClient for the agent's CNI API on a unix socket, as the plugin talks to it.</summary>
internal static class UnixSocketHttp
{
    public static HttpClient Client(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://agent/") };
    }
}
