using System.Net.Sockets;

namespace RomanaAws.Cli.Commands;

/// <summary>Turns "address already in use" from any listener the CLI starts into one line naming the setting and the address.</summary>
internal static class ListenGuard
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> start, string setting, string address)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            return await start();
        }
        catch (IOException ex) when (IsAddressInUse(ex))
        {
            throw new IOException($"{setting} {address}: the address is already in use (another process listens there); stop that process or choose another address with {setting}", ex);
        }
    }

    public static Task RunAsync(Func<Task> start, string setting, string address) =>
        RunAsync(async () => { await start(); return true; }, setting, address);

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex.GetType().Name == "AddressInUseException" || ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }
}
