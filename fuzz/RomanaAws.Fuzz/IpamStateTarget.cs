using RomanaAws.Core.Ipam;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Fuzz;

/// <summary>
/// A state file as <c>ipam show</c> and the controller load it: UTF-8 bytes → <see cref="IpamStateSerializer.Deserialize"/>
/// → <see cref="Ipam.FromDocument"/>. Bad input is an <see cref="IpamStateException"/> (an <see cref="IpamException"/>).
/// A state that loads must also survive save → load unchanged.
/// </summary>
internal sealed class IpamStateTarget : FuzzTarget
{
    public override string Name => "ipam-state";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var document = IpamStateSerializer.Deserialize(input, "fuzz-state.json");
        var ipam = Ipam.FromDocument(document, "fuzz-state.json");
        _ = ipam.Plan();
        var saved = IpamStateSerializer.Serialize(ipam.ToDocument(document.Revision));
        try
        {
            var again = Ipam.FromDocument(IpamStateSerializer.Deserialize(saved, "fuzz-state (saved)"), "fuzz-state (saved)");
            var resaved = IpamStateSerializer.Serialize(again.ToDocument(document.Revision));
            if (!saved.AsSpan().SequenceEqual(resaved))
            {
                throw new FuzzInvariantException("an accepted state changes when saved and loaded again");
            }
        }
        catch (IpamException ex)
        {
            throw new FuzzInvariantException($"an accepted state is refused after saving it: {ex.Message}", ex);
        }
    }

    public override bool IsExpected(Exception exception) => exception is IpamException;
}
