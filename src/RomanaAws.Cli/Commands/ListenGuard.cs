using System.Net.Sockets;

namespace RomanaAws.Cli.Commands;

/// <summary>
/// Turns a listener that cannot bind (address in use, not an address of this machine, a privileged port) into one line
/// naming the setting and the address, for every listener the CLI starts.
/// </summary>
internal static class ListenGuard
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> start, string setting, string address)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            return await start();
        }
        catch (Exception ex) when (ex is IOException or SocketException && Reason(ex) is { } reason)
        {
            throw new IOException($"{setting} {address}: {reason}", ex);
        }
    }

    public static Task RunAsync(Func<Task> start, string setting, string address) =>
        RunAsync(async () => { await start(); return true; }, setting, address);

    private static string? Reason(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            var code = (ex as SocketException)?.SocketErrorCode;
            if (ex.GetType().Name == "AddressInUseException" || code == SocketError.AddressAlreadyInUse)
            {
                return "the address is already in use (another process listens there); stop that process or choose another address";
            }

            if (code == SocketError.AddressNotAvailable)
            {
                return "not an address of this machine; use one of its own addresses, such as 127.0.0.1";
            }

            if (code == SocketError.AccessDenied)
            {
                return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE); choose a port from 1024";
            }
        }

        return null;
    }
}
