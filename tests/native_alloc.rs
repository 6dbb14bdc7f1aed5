//! The wasm32 global allocator, run natively: its bump region grows in a
//! static arena (the stand-in for `memory.grow`), and the tests call one
//! instance directly, not as the global allocator.

#![cfg(not(target_arch = "wasm32"))]

#[path = "../src/js/alloc.rs"]
mod alloc;

use std::alloc::{GlobalAlloc, Layout};

use alloc::SizeClassAlloc;

/// One live block and the seed of the bytes written in it.
struct Block {
    ptr: *mut u8,
    layout: Layout,
    seed: u8,
}

/// The byte at `i` of a block filled from `seed`: differs from its
/// neighbours, so a copy to the wrong offset shows.
fn pattern(seed: u8, i: usize) -> u8 {
    seed ^ (i.wrapping_mul(131) ^ (i >> 8)) as u8
}

fn allocate(heap: &SizeClassAlloc, layout: Layout, seed: u8) -> Block {
    let ptr = unsafe { heap.alloc(layout) };
    assert!(!ptr.is_null(), "out of memory for {layout:?}");
    assert_eq!(ptr as usize % layout.align(), 0, "{layout:?} at {ptr:p}");
    let block = Block { ptr, layout, seed };
    fill(&block, 0);
    block
}

/// Writes the pattern from byte `from` to the end of the block.
fn fill(block: &Block, from: usize) {
    for i in from..block.layout.size() {
        unsafe { block.ptr.add(i).write(pattern(block.seed, i)) };
    }
}

fn holds_pattern(block: &Block) -> bool {
    (0..block.layout.size()).all(|i| unsafe { block.ptr.add(i).read() } == pattern(block.seed, i))
}

fn free(heap: &SizeClassAlloc, block: Block) {
    assert!(holds_pattern(&block), "a block of {:?} was overwritten before being freed", block.layout);
    unsafe { heap.dealloc(block.ptr, block.layout) };
}

#[test]
fn the_allocator_keeps_alignment_and_contents() {
    let heap = SizeClassAlloc::new();
    let mut kept: Vec<Block> = Vec::new();
    for round in 0..3u8 {
        for size in [1usize, 7, 8, 9, 31, 64, 100, 4096, 70_000, 300_000] {
            kept.push(allocate(&heap, Layout::from_size_align(size, 1).unwrap(), round ^ size as u8));
        }
        // A wider alignment than the blocks' 8 bytes, also after blocks were freed.
        let wide: Vec<Block> = (0..20).map(|i| allocate(&heap, Layout::from_size_align(64, 64).unwrap(), i)).collect();
        let wide_u128 = allocate(&heap, Layout::array::<u128>(100).unwrap(), round);
        assert_eq!(wide_u128.ptr as usize % std::mem::align_of::<u128>(), 0);
        assert!(wide.iter().chain([&wide_u128]).all(holds_pattern));

        // Growth in place and by moving keeps what was written.
        let mut grown = allocate(&heap, Layout::from_size_align(4, 4).unwrap(), round.wrapping_add(77));
        let (mut in_place, mut moved) = (0, 0);
        while grown.layout.size() < 400_000 {
            let old_size = grown.layout.size();
            let new_size = (old_size + old_size / 2 + 4).min(400_000);
            let ptr = unsafe { heap.realloc(grown.ptr, grown.layout, new_size) };
            assert!(!ptr.is_null(), "realloc to {new_size} failed");
            assert_eq!(ptr as usize % 4, 0);
            if ptr == grown.ptr {
                in_place += 1;
            } else {
                moved += 1;
            }
            grown.ptr = ptr;
            assert!(holds_pattern(&grown), "realloc from {old_size} to {new_size} lost contents");
            grown.layout = Layout::from_size_align(new_size, 4).unwrap();
            fill(&grown, old_size);
            assert!(holds_pattern(&grown));
        }
        assert!(in_place > 0 && moved > 0, "{in_place} reallocs in place, {moved} moved");

        free(&heap, grown);
        free(&heap, wide_u128);
        for block in wide {
            free(&heap, block);
        }
        // Free every other block, so the next round reuses them.
        let mut i = 0;
        let (freed, live): (Vec<Block>, Vec<Block>) = kept.into_iter().partition(|_| {
            i += 1;
            i % 2 == 1
        });
        for block in freed {
            free(&heap, block);
        }
        kept = live;
    }
    for block in &kept {
        assert!(holds_pattern(block), "a live block of {:?} was overwritten", block.layout);
    }
}

#[test]
fn a_freed_block_is_reused_by_the_next_allocation_of_its_class() {
    let heap = SizeClassAlloc::new();
    let layout = |size, align| Layout::from_size_align(size, align).unwrap();
    // 17..=32 bytes share a class.
    let a = unsafe { heap.alloc(layout(24, 8)) };
    let b = unsafe { heap.alloc(layout(32, 8)) };
    assert!(!a.is_null() && !b.is_null() && a != b);

    unsafe { heap.dealloc(a, layout(24, 8)) };
    // Another class does not take it.
    let other = unsafe { heap.alloc(layout(8, 8)) };
    assert_ne!(other, a);
    assert_eq!(unsafe { heap.alloc(layout(17, 1)) }, a);

    // The last block freed is reused first.
    unsafe { heap.dealloc(a, layout(17, 1)) };
    unsafe { heap.dealloc(b, layout(32, 8)) };
    assert_eq!(unsafe { heap.alloc(layout(20, 4)) }, b);
    assert_eq!(unsafe { heap.alloc(layout(32, 8)) }, a);
    let fresh = unsafe { heap.alloc(layout(32, 8)) };
    assert!(fresh != a && fresh != b);
}

#[test]
fn a_freed_block_too_little_aligned_is_not_reused_for_a_wider_alignment() {
    let heap = SizeClassAlloc::new();
    let narrow = Layout::from_size_align(64, 8).unwrap();
    let wide = Layout::from_size_align(64, 64).unwrap();
    // Cut right after an 8-byte block at the start of the region: 8-aligned only.
    assert!(!unsafe { heap.alloc(Layout::from_size_align(8, 8).unwrap()) }.is_null());
    let unaligned = unsafe { heap.alloc(narrow) };
    assert_ne!(unaligned as usize % 64, 0);
    unsafe { heap.dealloc(unaligned, narrow) };

    let block = unsafe { heap.alloc(wide) };
    assert!(!block.is_null());
    assert_eq!(block as usize % 64, 0);
    // The narrow block is still free for its class.
    assert_eq!(unsafe { heap.alloc(narrow) }, unaligned);
}
