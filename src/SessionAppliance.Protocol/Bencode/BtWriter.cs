using System.Buffers;
using System.Buffers.Text;

namespace SessionAppliance.Protocol.Bencode;

/// <summary>Writes bencoded values; dicts are written in key order (<see cref="BtDict"/> keeps them sorted).</summary>
public static class BtWriter
{
    public static byte[] Encode(BtValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, BtValue value)
    {
        switch (value)
        {
            case BtInteger integer:
                WriteInteger(output, integer.Value);
                break;
            case BtString text:
                WriteString(output, text.Value);
                break;
            case BtList list:
                WriteByte(output, (byte)'l');
                foreach (var item in list.Items)
                {
                    Write(output, item);
                }

                WriteByte(output, (byte)'e');
                break;
            case BtDict dict:
                WriteByte(output, (byte)'d');
                foreach (var (key, item) in dict.Entries)
                {
                    WriteString(output, key);
                    Write(output, item);
                }

                WriteByte(output, (byte)'e');
                break;
            default:
                throw new ArgumentException("unknown bt value " + value.GetType().Name, nameof(value));
        }
    }

    public static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteDecimal(output, (ulong)value.Length);
        WriteByte(output, (byte)':');
        output.Write(value);
    }

    public static void WriteInteger(IBufferWriter<byte> output, Int128 value)
    {
        WriteByte(output, (byte)'i');
        if (value < 0)
        {
            WriteByte(output, (byte)'-');
            value = -value;
        }

        WriteDecimal(output, (ulong)value);
        WriteByte(output, (byte)'e');
    }

    private static void WriteDecimal(IBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }
}
