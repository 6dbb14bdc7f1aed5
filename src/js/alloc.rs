//! The wasm32 global allocator: power-of-two size classes (8 bytes and up),
//! each with a free list of the blocks freed in it; new blocks are cut from a
//! bump region that grows the wasm memory 1 MiB at a time. Allocation and free
//! are O(1), the code is a few hundred bytes (std's dlmalloc: about 8 KB).
//! Memory freed in a class is reused by that class only, as dlmalloc never
//! gives memory back to the host either.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: usize = 65536;
/// Pages the memory grows by when the bump region runs out (1 MiB).
const GROW_PAGES: usize = 16;
/// Classes 0..=28: blocks of 8 << class bytes (8 B .. 2 GiB).
const CLASSES: usize = 29;

struct State {
    free: [*mut u8; CLASSES],
    next: usize,
    end: usize,
}

pub struct SizeClassAlloc(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for SizeClassAlloc {}

impl SizeClassAlloc {
    pub const fn new() -> Self {
        SizeClassAlloc(UnsafeCell::new(State { free: [ptr::null_mut(); CLASSES], next: 0, end: 0 }))
    }
}

#[inline]
fn class(layout: &Layout) -> usize {
    let size = layout.size().max(layout.align()).max(8);
    (usize::BITS - (size - 1).leading_zeros()) as usize - 3
}

unsafe impl GlobalAlloc for SizeClassAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = &mut *self.0.get();
        let c = class(&layout);
        let align = layout.align();
        let head = state.free[c];
        // Blocks are 8-aligned; a rarer, larger alignment takes a block only if it fits.
        if !head.is_null() && head as usize & (align - 1) == 0 {
            state.free[c] = *(head as *mut *mut u8);
            return head;
        }
        let size = 8usize << c;
        let mut start = (state.next + align - 1) & !(align - 1);
        if start.checked_add(size).map_or(true, |e| e > state.end) {
            // 1 MiB at least: each grow costs the engine a remap and detaches
            // JavaScript's views of the memory (page by page took 20% of a
            // workload that allocates steadily).
            let pages = (size + align).div_ceil(PAGE).max(GROW_PAGES);
            let base = wasm32::memory_grow(0, pages);
            if base == usize::MAX {
                return ptr::null_mut();
            }
            let base = base * PAGE;
            // Someone else grew the memory since: start over at the new pages.
            if base != state.end {
                state.next = base;
            }
            state.end = base + pages * PAGE;
            start = (state.next + align - 1) & !(align - 1);
        }
        state.next = start + size;
        start as *mut u8
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let state = &mut *self.0.get();
        let c = class(&layout);
        *(block as *mut *mut u8) = state.free[c];
        state.free[c] = block;
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(&new_layout) == class(&layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}
