using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Research.Tests.Shared;

/// <summary>One instruction of a method body that names a metadata token (a call, a field access, a function pointer).</summary>
public readonly record struct TokenInstruction(int Offset, ILOpCode OpCode, EntityHandle Token);

/// <summary>Walks a method body's IL and yields the instructions that carry a token; other operands are skipped by size.</summary>
public static class IlInstructions
{
    // The runtime's own opcode table gives each operand's type, so no size is written here by hand.
    private static readonly Dictionary<int, OperandType> Operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (int)(ushort)o.Value, o => o.OperandType);

    public static IEnumerable<TokenInstruction> WithTokens(MethodBodyBlock body)
    {
        var reader = body.GetILReader();
        var found = new List<TokenInstruction>();
        while (reader.RemainingBytes > 0)
        {
            var offset = reader.Offset;
            int code = reader.ReadByte();
            if (code == 0xFE)
                code = 0xFE00 | reader.ReadByte();
            switch (Operands[code])
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok
                    or OperandType.InlineSig:
                    found.Add(new TokenInstruction(offset, (ILOpCode)code, MetadataTokens.EntityHandle(reader.ReadInt32())));
                    break;
                case OperandType.InlineSwitch:
                    var targets = reader.ReadInt32(); // read first: `Offset += Read…()` would take Offset before the read
                    reader.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    reader.Offset += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR or OperandType.InlineString:
                    reader.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    reader.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    reader.Offset += 1;
                    break;
            }
        }
        return found;
    }
}
