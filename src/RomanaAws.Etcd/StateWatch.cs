using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace RomanaAws.Etcd;

/// <summary>
/// Tells a standby when the cluster's records change (a watch on the prefix), so its state stays warm and its read API
/// current; on a broken stream it watches again after a short pause (a full reload on the next change catches up).
/// </summary>
public sealed class StateWatch(EtcdConnection etcd, TimeProvider time)
{
    public async Task RunAsync(Func<long> fromRevision, Action changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fromRevision);
        ArgumentNullException.ThrowIfNull(changed);
        var prefix = etcd.Options.StatePrefix;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = etcd.Watches.Watch(cancellationToken: cancellationToken);
                var create = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = EtcdConnection.PrefixEnd(prefix), StartRevision = fromRevision() + 1 };
                await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, cancellationToken);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var response = call.ResponseStream.Current;
                    if (response.Events.Count > 0 || response.CompactRevision > 0)
                    {
                        changed();
                    }

                    if (response.Canceled)
                    {
                        break;
                    }
                }
            }
            catch (RpcException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
